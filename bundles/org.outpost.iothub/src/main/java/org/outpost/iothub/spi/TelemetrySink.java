/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where telemetry goes: the hub's broker, a gateway's routing. The server opens one {@link TelemetryWriter} per
 * connection, at its first telemetry message, and closes it when the connection ends.
 */
@ConsumerType
public interface TelemetrySink {

    /**
     * @param identity the connected identity
     * @return where its telemetry is written, in order, from its connection's session thread
     * @throws Exception if it cannot be opened now: the connection is closed, and its message not acknowledged
     */
    TelemetryWriter open(Identity identity) throws Exception;
}
