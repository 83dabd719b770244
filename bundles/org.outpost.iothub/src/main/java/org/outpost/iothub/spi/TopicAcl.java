/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.protocol.TelemetryTopic;

/**
 * Which topics an identity may use. Twin and method topics name no identity (the server knows it by its
 * connection), so every identity may publish to them; telemetry topics and subscriptions are asked here.
 * {@link org.outpost.iothub.IotHubAcl} is IoT Hub's own rules.
 */
@ConsumerType
public interface TopicAcl {

    /**
     * @param identity a connected identity
     * @param filter the filter it subscribes with
     * @return true to grant it, false to refuse it (SUBACK failure)
     */
    boolean maySubscribe(Identity identity, String filter);

    /**
     * @param identity a connected identity
     * @param topic the telemetry topic it publishes to
     * @return true if it may; a message it may not send is dropped (and acknowledged, so it is not sent again)
     */
    boolean maySend(Identity identity, TelemetryTopic topic);
}
