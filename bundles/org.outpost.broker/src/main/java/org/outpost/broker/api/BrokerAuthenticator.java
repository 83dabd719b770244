/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Authenticates and authorizes clients that connect to the broker over the network (MQTT, AMQP, core over TCP).
 * In-VM clients are always trusted. The broker uses the highest-ranked authenticator service; with none registered,
 * every network client is refused.
 * <p>
 * An identity is bound to its MQTT client ids ({@link #mayUseClientId}), so that no client can take over (MQTT link
 * stealing) the session of another identity, and to its open connections: those of a revoked identity
 * ({@link #onRevoked}) are closed at once on every listener.
 */
@ConsumerType
public interface BrokerAuthenticator {

    /** What a client wants to do on an address. */
    enum Action {
        /** Publish to the address. */
        SEND,
        /** Receive from a queue on the address (subscribe). */
        CONSUME,
        /** Create or delete addresses and queues, browse, manage: everything else. */
        MANAGE
    }

    /**
     * @param username the user name the client gave
     * @param password the password (or token) the client gave
     * @param remoteAddress where the client connects from, for logs
     * @return the authenticated identity, or empty to refuse the client
     */
    Optional<String> authenticate(String username, String password, String remoteAddress);

    /**
     * @param identity an identity returned by {@link #authenticate}
     * @param action what the client wants to do
     * @param address the broker address (words separated by {@code .}), as the broker names it
     * @return true to allow it
     */
    boolean authorize(String identity, Action action, String address);

    /**
     * Called when an MQTT client authenticated as {@code identity} connects with {@code clientId}. Refusing it refuses
     * the connection; the client connected with that id, if any, keeps its connection.
     *
     * @param identity an identity returned by {@link #authenticate}
     * @param clientId the MQTT client id it gave (the broker makes one up for an empty id with a clean session)
     * @return true if the identity may use that client id; the default allows any, for authenticators that bind none
     */
    default boolean mayUseClientId(String identity, String clientId) {
        return true;
    }

    /**
     * The broker subscribes once it uses this authenticator: the authenticator calls {@code revoked} with an identity
     * whose credentials stopped working (deleted, disabled, re-keyed), and the broker closes that identity's open
     * network connections at once.
     *
     * @param revoked takes the revoked identity, as {@link #authenticate} returned it; quick, callable on any thread
     * @return stops the subscription; the default tells nothing, for authenticators whose credentials never change
     */
    default AutoCloseable onRevoked(Consumer<String> revoked) {
        return () -> {
        };
    }
}
