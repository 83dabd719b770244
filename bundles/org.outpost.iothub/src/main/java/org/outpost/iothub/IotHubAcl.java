/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TelemetryTopic;

/**
 * IoT Hub's topic rules: every identity may subscribe to its twin answers, desired patches and method calls, and to
 * the identity registry's answers and device scope changes (the registry decides who may ask what, and whose scope
 * changes are told); an identity that is not a module also to
 * its own cloud-to-device messages, and a module to its own inputs ({@code devices/<d>/modules/<m>/inputs/#}, as
 * edgeHub serves them). It sends telemetry only under its own {@code devices/<d>/} (a module only under its own
 * {@code devices/<d>/modules/<m>/}).
 */
public final class IotHubAcl implements TopicAcl {

    @Override
    public boolean maySubscribe(Identity identity, String filter) {
        if (filter.equals(IotHubTopic.TWIN_RESPONSES) || filter.equals(IotHubTopic.DESIRED_PATCHES)
                || filter.equals(IotHubTopic.METHOD_CALLS) || filter.equals(IotHubTopic.IDENTITY_RESPONSES)
                || filter.equals(IotHubTopic.SCOPE_CHANGES)) {
            return true;
        }
        return identity.kind() == Identity.Kind.MODULE
                ? filter.equals(IotHubTopic.ModuleInput.filter(identity.deviceId(), identity.moduleId()))
                : filter.equals(IotHubTopic.CloudToDevice.filter(identity.deviceId()));
    }

    @Override
    public boolean maySend(Identity identity, TelemetryTopic topic) {
        return topic.deviceId().equals(identity.deviceId())
                && (identity.moduleId() == null || identity.moduleId().equals(topic.moduleId()));
    }
}
