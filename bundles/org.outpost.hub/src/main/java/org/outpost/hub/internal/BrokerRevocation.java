/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.List;
import java.util.function.Predicate;


import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.remoting.server.RemotingService;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes identities on the hub's broker (its MQTT port), as the IoT Hub endpoint does on its own: when a device is
 * disabled or deleted, its connections and its modules' are closed; when its keys or thumbprints change, the
 * connections that used its credentials (the device, its {@code $edgeAgent} and {@code $edgeHub}) are closed, to
 * authenticate again with what is valid now; when a module identity is replaced or deleted, its connections are
 * closed. The events come from this node or, through the database, from any other ({@link DeviceEvents},
 * {@link ModuleStore#onRevoked}), so every node closes what it holds. An Artemis broker plugin: the broker hands it
 * the running server ({@link #registered}), whose connections carry the identity {@link DeviceAuthenticator} gave them.
 */
@Component(service = ActiveMQServerPlugin.class, immediate = true)
public final class BrokerRevocation implements ActiveMQServerPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRevocation.class);

    private volatile ActiveMQServer server;
    private final List<Runnable> stopListening;

    @Activate
    public BrokerRevocation(@Reference DeviceStore devices, @Reference ModuleStore modules) {
        this.stopListening = List.of(
                devices.onDisable(id -> close(deviceOrItsModules(id), "device " + id + " was disabled")),
                devices.onDelete(id -> {
                    close(deviceOrItsModules(id), "device " + id + " was deleted");
                    forget(deviceOrItsModules(id), "device " + id + " was deleted");
                }),
                devices.onRekey(id -> close(id::equals, "the keys or thumbprints of device " + id + " changed")),
                modules.onRevoked(m -> close(m.id()::equals, "module identity " + m + " was replaced or deleted")),
                devices.onReauthenticate(id -> close(deviceOrItsModules(id), "a gateway above " + id + " was"
                        + " disabled, deleted or re-keyed (it may have connected " + id + " on its behalf)")),
                // A gateway may publish for the devices below it: the broker's cached answers go with the tree.
                devices.onScopeChange(change -> forgetAuthorizations()));
    }

    @Deactivate
    void deactivate() {
        stopListening.forEach(Runnable::run);
    }

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
    }

    @Override
    public void unregistered(ActiveMQServer server) {
        if (this.server == server) {
            this.server = null;
        }
    }

    /** Identities at the broker are {@code <d>} (the device and its system modules) and {@code <d>/<m>}. */
    private static Predicate<String> deviceOrItsModules(String deviceId) {
        return identity -> identity.equals(deviceId) || identity.startsWith(deviceId + "/");
    }

    /**
     * Closes the network connections whose identity {@code which} names.
     *
     * @return how many were closed
     */
    int close(Predicate<String> which, String why) {
        ActiveMQServer s = server;
        if (s == null) {
            return 0;
        }
        RemotingService remoting = s.getRemotingService();
        int closed = 0;
        for (RemotingConnection connection : remoting.getConnections()) {
            String identity = identity(connection);
            if (identity != null && !DeviceAuthenticator.INTERNAL_USER.equals(identity) && which.test(identity)) {
                LOG.info("Closing {}'s connection from {} to the hub's broker: {}", identity,
                        connection.getRemoteAddress(), why);
                remoting.removeConnection(connection.getID());
                connection.fail(new ActiveMQSecurityException(why));
                closed++;
            }
        }
        return closed;
    }

    /**
     * Forgets the persistent MQTT sessions whose client id {@code which} names (a device's is its id, a module's
     * {@code <d>/<m>}): their state and their subscription queues ({@code <client id>.<address>}), which would
     * otherwise keep filling with what matches them after their device is gone.
     *
     * @return how many sessions were forgotten
     */
    int forget(Predicate<String> which, String why) {
        ActiveMQServer s = server;
        if (s == null) {
            return 0;
        }
        int forgotten = 0;
        try {
            MQTTStateManager states = MQTTStateManager.getInstance(s);
            for (String clientId : List.copyOf(states.getSessionStates().keySet())) {
                if (!which.test(clientId) || clientId.startsWith(DeviceAuthenticator.RESERVED_PREFIX)) {
                    continue;
                }
                states.removeSessionState(clientId);
                for (SimpleString queue : s.getPostOffice().getAllBindings().filter(b -> b instanceof QueueBinding)
                        .map(b -> b.getUniqueName()).filter(n -> n.toString().startsWith(clientId + ".")).toList()) {
                    s.destroyQueue(queue, null, false, true);
                }
                forgotten++;
                LOG.info("Forgot the persistent MQTT session of {} on the hub's broker: {}", clientId, why);
            }
        } catch (Exception e) {
            LOG.warn("Could not forget the persistent MQTT sessions of a removed identity ({}): {}", why,
                    e.toString());
        }
        return forgotten;
    }

    /**
     * Forgets the broker's cached authorizations (Artemis keeps a user's allowed addresses for a while), so that what
     * a gateway may publish for the devices below it follows a change of the tree at once.
     */
    void forgetAuthorizations() {
        ActiveMQServer s = server;
        if (s == null || s.getSecurityStore() == null) {
            return;
        }
        try {
            // SecurityStoreImpl's public method; not on the SecurityStore interface of Artemis 2.40.
            s.getSecurityStore().getClass().getMethod("invalidateAuthorizationCache").invoke(s.getSecurityStore());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Could not forget the broker's cached authorizations ({}): a gateway may publish for a device"
                    + " moved away from it until the broker's security-invalidation-interval passes", e.toString());
        }
    }

    /** @return the identity the connection authenticated as, or null if it has not (yet) */
    static String identity(RemotingConnection connection) {
        var subject = connection.getSubject();
        return subject == null ? null : subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName)
                .findFirst().orElse(null);
    }
}
