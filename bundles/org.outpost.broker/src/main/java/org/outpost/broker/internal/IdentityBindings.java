/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.outpost.broker.api.BrokerAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which identity each network connection authenticated as, and which MQTT client ids each identity holds: a client
 * id belongs to the identity that first connected with it while its session lasts, and to it alone; an identity may
 * use only the client ids its authenticator allows, and hold at most {@link ClientLimits#sessionsPerIdentity()}
 * sessions (open connections, and MQTT sessions the broker keeps for it while it is away). A revoked identity's
 * connections are closed.
 */
final class IdentityBindings {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityBindings.class);
    static final String MQTT = "MQTT";

    private record Bound(String identity, RemotingConnection connection, String clientId) {
        boolean open() {
            return !connection.isDestroyed() && connection.getTransportConnection() != null
                    && connection.getTransportConnection().isOpen();
        }
    }

    private final Predicate<String> mqttSessionKept;
    /** Guarded by this. By connection id. */
    private final Map<Object, Bound> connections = new HashMap<>();
    /** Guarded by this. MQTT client id to the identity that holds it. */
    private final Map<String, String> clientIds = new HashMap<>();

    /** @param mqttSessionKept whether the broker keeps an MQTT session (connected or persistent) for a client id */
    IdentityBindings(Predicate<String> mqttSessionKept) {
        this.mqttSessionKept = mqttSessionKept;
    }

    /**
     * Lets an authenticated connection in, or says why not; once in, it is bound to the identity.
     *
     * @return why it is refused, or empty if it is in
     */
    synchronized Optional<String> admit(String identity, RemotingConnection connection,
            BrokerAuthenticator authenticator, ClientLimits limits) {
        prune();
        String clientId = MQTT.equals(connection.getProtocolName()) ? connection.getClientID() : null;
        if (clientId != null) {
            if (!authenticator.mayUseClientId(identity, clientId)) {
                return Optional.of("it may not use the MQTT client id '" + clientId + "' (a client connects with its"
                        + " own)");
            }
            String holder = clientIds.get(clientId);
            if (holder != null && !holder.equals(identity)) {
                return Optional.of("the MQTT client id '" + clientId + "' belongs to another identity");
            }
        }
        int sessions = sessions(identity, clientId);
        if (sessions >= limits.sessionsPerIdentity()) {
            return Optional.of("it has " + sessions + " sessions already, the most one identity may have"
                    + " (max.sessions.per.identity); close one, or end a persistent MQTT session with a clean one");
        }
        connections.put(connection.getID(), new Bound(identity, connection, clientId));
        if (clientId != null) {
            clientIds.put(clientId, identity);
        }
        return Optional.empty();
    }

    /** @return the identity the connection authenticated as, or null if it is not a network client's */
    synchronized String identityOf(RemotingConnection connection) {
        Bound b = connections.get(connection.getID());
        return b == null ? null : b.identity();
    }

    /** Closes every open connection of the identity. @return how many */
    int revoke(String identity) {
        List<Bound> theirs;
        synchronized (this) {
            theirs = connections.values().stream().filter(b -> b.identity().equals(identity)).toList();
            theirs.forEach(b -> connections.remove(b.connection().getID()));
        }
        for (Bound b : theirs) {
            try {
                b.connection().fail(new ActiveMQSecurityException("the credentials of '" + identity
                        + "' were revoked"));
            } catch (RuntimeException e) {
                LOG.debug("Closing a connection of revoked '{}': {}", identity, e.toString());
            }
        }
        if (!theirs.isEmpty()) {
            LOG.info("Closed {} connection(s) of '{}': its credentials were revoked", theirs.size(), identity);
        }
        return theirs.size();
    }

    /** @return the identity's sessions, other than the MQTT session of {@code clientId} (which a connect takes over) */
    private int sessions(String identity, String clientId) {
        Set<String> mqtt = new HashSet<>();
        int others = 0;
        for (Bound b : connections.values()) {
            if (b.identity().equals(identity)) {
                if (b.clientId() == null) {
                    others++;
                } else {
                    mqtt.add(b.clientId());
                }
            }
        }
        clientIds.forEach((id, holder) -> {
            if (holder.equals(identity)) {
                mqtt.add(id);
            }
        });
        mqtt.remove(clientId);
        return others + mqtt.size();
    }

    /** Forgets closed connections, and client ids whose session the broker no longer keeps. */
    private void prune() {
        connections.values().removeIf(b -> !b.open());
        Set<String> connected = new HashSet<>();
        connections.values().forEach(b -> connected.add(b.clientId()));
        clientIds.keySet().removeIf(id -> !connected.contains(id) && !mqttSessionKept.test(id));
    }
}
