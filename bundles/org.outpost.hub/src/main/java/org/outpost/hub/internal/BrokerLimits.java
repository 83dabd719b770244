/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.HashSet;
import java.util.Set;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits per identity on the hub's broker (its MQTT port), so that no device fills the hub's disk or memory:
 * <ul>
 * <li>a session per identity: {@link DeviceAuthenticator} binds the client id to the identity, and a second
 * connection with the same client id (so of the same identity) replaces the first, as MQTT and IoT Hub do;</li>
 * <li>at most {@code mqtt.max.subscriptions} topic filters per session (what it keeps from earlier connections
 * counts); no shared subscriptions ({@code $share/...}, which would make queues named by the client);</li>
 * <li>no retained messages, and no will message to retain (IoT Hub keeps none): the connection is closed;</li>
 * <li>at most {@code mqtt.max.address.kb} waiting per device address ({@code devices.<d>....}), beyond which sends to
 * it fail ({@link AddressFullMessagePolicy#FAIL}): the device's publish is not acknowledged and it sends again later,
 * nothing it saw acknowledged is lost.</li>
 * </ul>
 * The hub's own clients are not limited. A refused packet closes the connection, with a warning that names the
 * identity and the limit (MQTT 3.1.1 has no other answer to a PUBLISH; a SUBSCRIBE could get a failure code, which
 * clients tend to ignore). An Artemis broker plugin: registered with the running broker, it adds its interceptor and
 * address settings, and takes them away again when unregistered.
 */
@Component(service = ActiveMQServerPlugin.class, configurationPid = "org.outpost.hub")
public final class BrokerLimits implements ActiveMQServerPlugin {

    /** Of the hub-wide configuration ({@code org.outpost.hub}), the broker's limits per identity. */
    public @interface Config {
        /** Topic filters one session may hold. */
        int mqtt_max_subscriptions() default 16;

        /** KB that may wait on one device address before sends to it fail. */
        int mqtt_max_address_kb() default 10240;
    }

    /** The broker addresses of device topics. */
    static final String DEVICE_ADDRESSES = "devices.#";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLimits.class);

    private final int maxSubscriptions;
    private final long maxAddressBytes;
    private final MQTTInterceptor interceptor = this::allowed;
    private volatile ActiveMQServer server;

    @Activate
    public BrokerLimits(Config config) {
        this.maxSubscriptions = Math.max(1, config.mqtt_max_subscriptions());
        this.maxAddressBytes = Math.max(1, config.mqtt_max_address_kb()) * 1024L;
    }

    @Override
    public void registered(ActiveMQServer server) {
        this.server = server;
        server.getAddressSettingsRepository().addMatch(DEVICE_ADDRESSES, new AddressSettings()
                .setMaxSizeBytes(maxAddressBytes).setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL));
        server.getRemotingService().addIncomingInterceptor(interceptor);
    }

    @Override
    public void unregistered(ActiveMQServer server) {
        server.getRemotingService().removeIncomingInterceptor(interceptor);
        server.getAddressSettingsRepository().removeMatch(DEVICE_ADDRESSES);
        if (this.server == server) {
            this.server = null;
        }
    }

    /** @return false to close the connection (the interceptor's answer) */
    boolean allowed(MqttMessage packet, RemotingConnection connection) {
        switch (packet.fixedHeader().messageType()) {
            case CONNECT -> {
                // Before authentication: only the user name tells the hub's own client.
                MqttConnectMessage connect = (MqttConnectMessage) packet;
                if (connect.variableHeader().isWillFlag() && connect.variableHeader().isWillRetain()
                        && !DeviceAuthenticator.INTERNAL_USER.equals(connect.payload().userName())) {
                    return refuse(connect.payload().clientIdentifier(), connection, "its will message is to be"
                            + " retained, and the hub keeps no retained messages");
                }
                return true;
            }
            case PUBLISH -> {
                String identity = BrokerRevocation.identity(connection);
                if (packet.fixedHeader().isRetain() && limited(identity)) {
                    return refuse(identity, connection, "it published a retained message on '"
                            + ((MqttPublishMessage) packet).variableHeader().topicName() + "', and the hub keeps no"
                            + " retained messages (publish with retain off)");
                }
                return true;
            }
            case SUBSCRIBE -> {
                String identity = BrokerRevocation.identity(connection);
                String refusal = identity != null && identity.startsWith(DeviceAuthenticator.EVENTS_USER_PREFIX)
                        ? groupRefusal((MqttSubscribeMessage) packet, identity.substring(
                                DeviceAuthenticator.EVENTS_USER_PREFIX.length()))
                        : limited(identity) ? subscriptionRefusal((MqttSubscribeMessage) packet,
                                connection.getClientID()) : null;
                return refusal == null || refuse(identity, connection, refusal);
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * @return why a consumer group's subscription is refused, or null: a group (message routing's built-in endpoint)
     *         reads its own shared subscription only
     */
    static String groupRefusal(MqttSubscribeMessage subscribe, String group) {
        String own = "$share/" + group + "/outpost/events";
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            if (!s.topicName().equals(own)) {
                return "consumer group '" + group + "' subscribed to '" + s.topicName() + "'; it reads " + own
                        + " only";
            }
        }
        return null;
    }

    /** @return why the subscription is refused, or null if the session may hold it */
    String subscriptionRefusal(MqttSubscribeMessage subscribe, String clientId) {
        Set<String> filters = new HashSet<>(held(clientId));
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            if (MQTTUtil.isSharedSubscription(s.topicName())) {
                return "it subscribed to the shared subscription '" + s.topicName() + "', which devices may not";
            }
            filters.add(s.topicName());
        }
        if (filters.size() > maxSubscriptions) {
            return "its session would hold " + filters.size() + " topic filters, more than mqtt.max.subscriptions ("
                    + maxSubscriptions + ")";
        }
        return null;
    }

    /** @return the topic filters the client's session holds (also from earlier connections, if it is persistent) */
    private Set<String> held(String clientId) {
        ActiveMQServer s = server;
        Set<String> filters = new HashSet<>();
        if (s == null || clientId == null) {
            return filters;
        }
        try {
            MQTTSessionState state = MQTTStateManager.getInstance(s).getSessionStates().get(clientId);
            if (state != null) {
                state.getSubscriptions().forEach(t -> filters.add(t.topicName()));
            }
        } catch (Exception e) {
            LOG.debug("Could not read the MQTT session of {}: {}", clientId, e.toString());
        }
        return filters;
    }

    private static boolean limited(String identity) {
        return identity != null && !DeviceAuthenticator.INTERNAL_USER.equals(identity);
    }

    private static boolean refuse(String who, RemotingConnection connection, String why) {
        LOG.warn("Closing {}'s connection from {} to the hub's broker: {}", who, connection.getRemoteAddress(), why);
        return false;
    }
}
