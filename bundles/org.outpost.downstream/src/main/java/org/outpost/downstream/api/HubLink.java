/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.api;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where this gateway's twins connect (the hub's IoT Hub endpoint, or the parent gateway's endpoint for a nested
 * gateway), for the components that connect there on behalf of the gateway's children. Registered by the twins
 * component while it is configured. The device key never leaves it: it signs the gateway's tokens.
 */
@ProviderType
public interface HubLink {

    /** @return this gateway's device id */
    String deviceId();

    /** @return the endpoint, {@code ssl://host:port} or {@code tcp://host:port} */
    String url();

    /** @return the hub's host name, which SAS tokens name */
    String hubHostName();

    /** @return the socket factory of an {@code ssl://} URL (trusting the configured CA), empty for {@code tcp://} */
    Optional<SSLSocketFactory> socketFactory();

    /**
     * @return the TLS context of an {@code ssl://} URL, trusting the configured CA (what {@link #socketFactory} makes
     *         its sockets with, for clients that make their own TLS engines); empty for {@code tcp://}, or to trust
     *         the JVM's default CAs
     * @since 1.1
     */
    default Optional<SSLContext> sslContext() {
        return Optional.empty();
    }

    /**
     * @param validity how long it is valid
     * @return a SAS token of this gateway's device ({@code <hubHostName>/devices/<deviceId>}), signed with its key:
     *         presented with a child's client id, it authenticates the child's connection on the gateway's behalf
     *         (docs/gateways.md, "on behalf of")
     */
    String gatewayToken(Duration validity);
}
