/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.time.Duration;

import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.AuthLimiter;
import org.slf4j.LoggerFactory;

/**
 * What every session of a server uses: its host name, its user's SPIs, the connected sessions, the limiter of
 * failed authentications and the warning of connections refused while the authenticator cannot decide.
 */
record Services(String hostName, IdentityAuthenticator authenticator, TopicAcl acl, TelemetrySink telemetry,
        TwinService twins, CloudToDeviceSource cloudToDevice, InputSource inputs, IdentityRegistry identities,
        SessionRegistry<MqttSession> sessions, AuthLimiter authLimiter, ThrottledWarning unavailable) {

    /** With the warning of unavailability written at most once a minute. */
    Services(String hostName, IdentityAuthenticator authenticator, TopicAcl acl, TelemetrySink telemetry,
            TwinService twins, CloudToDeviceSource cloudToDevice, InputSource inputs, IdentityRegistry identities,
            SessionRegistry<MqttSession> sessions, AuthLimiter authLimiter) {
        this(hostName, authenticator, acl, telemetry, twins, cloudToDevice, inputs, identities, sessions, authLimiter,
                new ThrottledWarning(LoggerFactory.getLogger(ConnectHandler.class)::warn, Duration.ofMinutes(1),
                        System::nanoTime));
    }
}
