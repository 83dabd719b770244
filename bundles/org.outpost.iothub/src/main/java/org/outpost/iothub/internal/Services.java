/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.AuthLimiter;

/**
 * What every session of a server uses: its host name, its user's SPIs, the connected sessions and the limiter of
 * failed authentications.
 */
record Services(String hostName, IdentityAuthenticator authenticator, TopicAcl acl, TelemetrySink telemetry,
        TwinService twins, CloudToDeviceSource cloudToDevice, InputSource inputs, IdentityRegistry identities,
        SessionRegistry<MqttSession> sessions, AuthLimiter authLimiter) {
}
