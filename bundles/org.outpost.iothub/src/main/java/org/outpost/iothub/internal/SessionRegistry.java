/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected sessions, one per identity ({@link Identity#id()}, the client id): a second connection of an identity
 * closes its first, as IoT Hub does. Tells the {@link ConnectionListener} when an identity comes and goes.
 *
 * @param <S> the sessions
 */
final class SessionRegistry<S extends SessionRegistry.Session> {

    /** What the registry needs of a session. */
    interface Session {
        Identity identity();

        /** Closes its connection (it unregisters itself when the connection has ended). */
        void close();

        /** @return the client's address, or null if unknown */
        default java.net.SocketAddress remote() {
            return null;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final Map<String, S> sessions = new ConcurrentHashMap<>();
    private final ConnectionListener listener;

    SessionRegistry(ConnectionListener listener) {
        this.listener = listener;
    }

    /** An identity connected: an earlier connection of the same identity is closed. */
    void connected(S session) {
        Identity identity = session.identity();
        S previous = sessions.put(identity.id(), session);
        if (previous == null) {
            listener.connected(identity, session.remote());
        }
        if (previous != null && previous != session) {
            LOG.info("{} connected again; closing its earlier connection", identity);
            previous.close();
        }
    }

    /** A session's connection ended; if another took its place, the identity stays connected. */
    void disconnected(S session) {
        if (sessions.remove(session.identity().id(), session)) {
            listener.disconnected(session.identity());
        }
    }

    /** @return the connected session of the identity (by its id, whatever its kind) */
    Optional<S> session(Identity identity) {
        return Optional.ofNullable(sessions.get(identity.id()));
    }

    /** Closes the connections of the identities that {@code which} names. */
    void close(Predicate<Identity> which) {
        sessions.values().forEach(s -> {
            if (which.test(s.identity())) {
                s.close();
            }
        });
    }
}
