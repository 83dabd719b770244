/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.api;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.iothub.spi.Identity;

/**
 * The children connected to this gateway's IoT Hub endpoint now: devices, child gateways and their modules. A
 * service of the endpoint (the edgeHub bundle), for {@code edge:children} and the metrics.
 */
@ProviderType
public interface ChildConnections {

    /**
     * One connected child identity.
     *
     * @param identity who (a child device, a child gateway, a module of a child gateway, or a device below a child
     *            gateway connected on its behalf)
     * @param since when it connected
     * @param remote the remote address
     * @param messagesIn telemetry messages it sent on this connection
     * @param bytesIn their bodies' bytes
     */
    record Connection(Identity identity, Instant since, String remote, long messagesIn, long bytesIn) {
    }

    /** @return the children's connections now, by identity */
    List<Connection> connected();
}
