/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.broker.api.BrokerAuthenticator.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds MQTT clients to {@link ClientLimits}: subscriptions per session and retained messages per identity. A packet
 * past a limit closes its connection (MQTT 3.1.1 has no other answer to a SUBSCRIBE or a QoS 0 PUBLISH), with a
 * warning naming the identity and the limit.
 */
final class MqttClientLimits implements MQTTInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttClientLimits.class);

    private final ActiveMQServer server;
    private final IdentityBindings bindings;
    private final Supplier<Optional<BrokerAuthenticator>> authenticator;
    private final Supplier<ClientLimits> limits;

    MqttClientLimits(ActiveMQServer server, IdentityBindings bindings,
            Supplier<Optional<BrokerAuthenticator>> authenticator, Supplier<ClientLimits> limits) {
        this.server = server;
        this.bindings = bindings;
        this.authenticator = authenticator;
        this.limits = limits;
    }

    @Override
    public boolean intercept(MqttMessage packet, RemotingConnection connection) {
        ClientLimits l = limits.get();
        String refused = switch (packet.fixedHeader().messageType()) {
            case CONNECT -> willRetained((MqttConnectMessage) packet) && l.retainedPerIdentity() == 0
                    ? "it asks for a retained will, and retained messages are refused (max.retained.per.identity=0)"
                    : null;
            case SUBSCRIBE -> subscriptions(connection, (MqttSubscribeMessage) packet, l);
            case PUBLISH -> retained(connection, (MqttPublishMessage) packet, l);
            default -> null;
        };
        if (refused != null) {
            LOG.warn("Closed the MQTT connection of '{}' (client id '{}') from {}: {}",
                    bindings.identityOf(connection), connection.getClientID(), connection.getRemoteAddress(), refused);
            return false;
        }
        return true;
    }

    private static boolean willRetained(MqttConnectMessage connect) {
        return connect.variableHeader().isWillFlag() && connect.variableHeader().isWillRetain();
    }

    private String subscriptions(RemotingConnection connection, MqttSubscribeMessage subscribe, ClientLimits l) {
        Set<String> filters = new HashSet<>();
        MQTTSessionState state = sessionState(connection.getClientID());
        if (state != null) {
            state.getSubscriptions().forEach(s -> filters.add(s.topicName()));
        }
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            filters.add(s.topicName());
        }
        return filters.size() > l.subscriptionsPerConnection() ? "it would hold " + filters.size()
                + " subscriptions, more than max.subscriptions.per.connection=" + l.subscriptionsPerConnection()
                + "; subscribe with a wildcard instead" : null;
    }

    private MQTTSessionState sessionState(String clientId) {
        try {
            return clientId == null ? null : MQTTStateManager.getInstance(server).getSessionStates().get(clientId);
        } catch (Exception e) {
            return null;
        }
    }

    private String retained(RemotingConnection connection, MqttPublishMessage publish, ClientLimits l) {
        if (!publish.fixedHeader().isRetain() || publish.payload().readableBytes() == 0) {
            // An empty retained message deletes the one kept: always allowed.
            return null;
        }
        if (l.retainedPerIdentity() == 0) {
            return "it published a retained message, and retained messages are refused (max.retained.per.identity=0)";
        }
        String identity = bindings.identityOf(connection);
        Optional<BrokerAuthenticator> auth = authenticator.get();
        if (identity == null || auth.isEmpty()) {
            return null;
        }
        String address = MQTTUtil.getCoreRetainAddressFromMqttTopic(publish.variableHeader().topicName(),
                server.getConfiguration().getWildcardConfiguration());
        if (server.getPostOffice().getBinding(SimpleString.of(address)) != null) {
            return null;
        }
        long kept = server.getPostOffice().getAllBindings().filter(b -> b instanceof QueueBinding).map(
                b -> b.getAddress().toString()).filter(a -> a.startsWith(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX))
                .distinct().filter(a -> auth.get().authorize(identity, Action.SEND, a.substring(
                        MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX.length()))).count();
        return kept >= l.retainedPerIdentity() ? "it keeps " + kept + " retained messages, the most"
                + " max.retained.per.identity allows; delete one (an empty retained message) first" : null;
    }
}
