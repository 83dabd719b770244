/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.activemq.artemis.api.core.ActiveMQAddressFullException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolManagerFactory;
import org.apache.activemq.artemis.protocol.amqp.broker.ProtonProtocolManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.broker.api.BrokerAuthenticator;

/**
 * A real broker on 127.0.0.1 with its MQTT and core listeners, real MQTT (Paho) and core clients, and an authenticator
 * of two modules, a and b, of device gw (the one fake: the boundary to whoever owns the credentials).
 */
class GatewayBrokerIdentitiesTest {

    @TempDir
    Path data;

    private EmbeddedBroker broker;
    private final Modules modules = new Modules();
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<ServerLocator> locators = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 100);
            }
            c.close(true);
        }
        locators.forEach(ServerLocator::close);
        if (broker != null) {
            broker.deactivate();
        }
    }

    @Test
    void aModuleMayConnectOnlyWithItsOwnClientId() throws Exception {
        start(Map.of());

        assertThatThrownBy(() -> mqtt("a", "pa", "gw/b", true)).isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> mqtt("a", "pa", "outpost-hub-ingest", true)).isInstanceOf(MqttException.class);
        assertThat(mqtt("a", "pa", "gw/a", true).isConnected()).isTrue();
        assertThat(mqtt("a", "pa", "gw/a/out", true).isConnected()).isTrue();
    }

    @Test
    void anotherIdentityCannotKnockAConnectedModuleOff() throws Exception {
        start(Map.of());
        MqttClient a = mqtt("a", "pa", "gw/a", false);

        // b with its own good password and a's client id: refused, and a keeps its connection.
        assertThatThrownBy(() -> mqtt("b", "pb", "gw/a", true)).isInstanceOf(MqttException.class);
        // Even where an authenticator binds no client ids, a client id belongs to the identity that holds it.
        modules.lax = true;
        assertThatThrownBy(() -> mqtt("b", "pb", "gw/a", true)).isInstanceOf(MqttException.class);

        assertThat(a.isConnected()).isTrue();
        a.publish("devices/gw/modules/a/messages/events/x", new byte[] {1}, 1, false);
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void aModuleThatReconnectsTakesOverItsOwnSession() throws Exception {
        start(Map.of("max.sessions.per.identity", 1));
        MqttClient first = mqtt("a", "pa", "gw/a", false);

        MqttClient second = mqtt("a", "pa", "gw/a", false);

        assertThat(second.isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isConnected());
    }

    @Test
    void sessionsPerIdentityAreCappedCountingPersistentSessionsKeptWhileAway() throws Exception {
        start(Map.of("max.sessions.per.identity", 2));
        MqttClient kept = mqtt("a", "pa", "gw/a/1", false);
        MqttClient clean = mqtt("a", "pa", "gw/a/2", true);

        assertThatThrownBy(() -> mqtt("a", "pa", "gw/a/3", true)).isInstanceOf(MqttException.class);
        assertThat(core("a", "pa")).isEmpty();
        // b has its own sessions.
        assertThat(mqtt("b", "pb", "gw/b", true).isConnected()).isTrue();

        // A persistent session the broker keeps while its client is away still counts; a clean one leaves.
        kept.disconnect();
        assertThatThrownBy(() -> mqtt("a", "pa", "gw/a/3", true)).isInstanceOf(MqttException.class);
        clean.disconnect();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(mqtt("a", "pa", "gw/a/3", true)
                .isConnected()).isTrue());
    }

    @Test
    void subscriptionsPastTheLimitCloseTheConnection() throws Exception {
        start(Map.of("max.subscriptions.per.connection", 2));
        MqttClient a = mqtt("a", "pa", "gw/a", true);
        a.subscribe("devices/gw/modules/a/inputs/one/#", 1);
        a.subscribe("devices/gw/modules/a/inputs/two/#", 1);
        a.subscribe("devices/gw/modules/a/inputs/one/#", 1);
        assertThat(a.isConnected()).isTrue();

        assertThatThrownBy(() -> a.subscribe("devices/gw/modules/a/inputs/three/#", 1))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isConnected());
    }

    @Test
    void retainedMessagesAreRefusedByDefault() throws Exception {
        start(Map.of());
        MqttClient a = mqtt("a", "pa", "gw/a", true);
        a.publish("devices/gw/modules/a/messages/events/x", new byte[] {1}, 1, false);

        assertThatThrownBy(() -> a.publish("devices/gw/modules/a/messages/events/x", new byte[] {1}, 1, true))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isConnected());
        assertThat(mqttRefused("a", "pa", "gw/a", opts -> opts.setWill("devices/gw/modules/a/messages/events/w",
                new byte[] {1}, 1, true))).isTrue();
    }

    @Test
    void retainedMessagesPerIdentityAreCountedAndOneKeptMayBeReplaced() throws Exception {
        start(Map.of("max.retained.per.identity", 1));
        MqttClient a = mqtt("a", "pa", "gw/a", true);
        a.publish("devices/gw/modules/a/messages/events/x", new byte[] {1}, 1, true);
        a.publish("devices/gw/modules/a/messages/events/x", new byte[] {2}, 1, true);
        // b's retained messages are b's.
        mqtt("b", "pb", "gw/b", true).publish("devices/gw/modules/b/messages/events/x", new byte[] {1}, 1, true);
        assertThat(a.isConnected()).isTrue();

        assertThatThrownBy(() -> a.publish("devices/gw/modules/a/messages/events/y", new byte[] {1}, 1, true))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !a.isConnected());
    }

    @Test
    void whatAModuleHasKeptForItIsBoundedAndASendPastTheBoundFails() throws Exception {
        start(Map.of("client.address.max.bytes", 64 * 1024L));
        MqttClient a = mqtt("a", "pa", "gw/a", false);
        a.subscribe("devices/gw/modules/a/inputs/#", 1);
        a.disconnect();

        // The gateway sends to the module's inputs (in-VM, trusted) while it is away: its session keeps them, up to
        // the bound; then the send fails and the message stays with its sender.
        try (ServerLocator locator = broker.createLocator(); ClientSessionFactory f = locator.createSessionFactory();
                ClientSession s = f.createSession(); ClientProducer p = s.createProducer()) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    ClientMessage m = s.createMessage(true);
                    m.getBodyBuffer().writeBytes(new byte[4096]);
                    p.send("devices.gw.modules.a.inputs.in", m);
                }
            }).isInstanceOf(ActiveMQAddressFullException.class);
        }
    }

    @Test
    void aRevokedModuleIsDisconnectedWithinASecondOnEveryListener() throws Exception {
        start(Map.of());
        MqttClient a = mqtt("a", "pa", "gw/a", false);
        MqttClient b = mqtt("b", "pb", "gw/b", false);
        AtomicBoolean coreClosed = new AtomicBoolean();
        ClientSession core = core("a", "pa").orElseThrow();
        core.addFailureListener(new org.apache.activemq.artemis.api.core.client.SessionFailureListener() {
            @Override
            public void connectionFailed(ActiveMQException e, boolean failedOver) {
                coreClosed.set(true);
            }

            @Override
            public void connectionFailed(ActiveMQException e, boolean failedOver, String scaleDownTarget) {
                coreClosed.set(true);
            }

            @Override
            public void beforeReconnect(ActiveMQException e) {
            }
        });

        modules.revoke("a");

        await().atMost(Duration.ofSeconds(1)).until(() -> !a.isConnected() && coreClosed.get());
        assertThat(b.isConnected()).isTrue();
        assertThatThrownBy(() -> mqtt("a", "pa", "gw/a", true)).isInstanceOf(MqttException.class);
    }

    // ---- helpers

    private void start(Map<String, Object> overrides) throws Exception {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put("mqtt.port", freePort());
        config.put("core.port", freePort());
        config.put("amqp.port", 0);
        config.put("data.directory", data.toString());
        EmbeddedBroker.Config c = (EmbeddedBroker.Config) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EmbeddedBroker.Config.class}, (p, m, args) -> {
                    Object v = config.get(m.getName().replace('_', '.'));
                    return v != null ? v : m.getDefaultValue();
                });
        broker = new EmbeddedBroker(data, c, config, new MQTTProtocolManagerFactory(),
                new ProtonProtocolManagerFactory());
        broker.bindAuthenticator(modules);
    }

    private MqttClient mqtt(String user, String password, String clientId, boolean clean) throws MqttException {
        return mqtt(user, password, clientId, clean, o -> {
        });
    }

    private MqttClient mqtt(String user, String password, String clientId, boolean clean,
            Consumer<MqttConnectOptions> more) throws MqttException {
        MqttClient c = new MqttClient(broker.acceptorUrl("MQTT").orElseThrow(), clientId, new MemoryPersistence());
        clients.add(c);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setCleanSession(clean);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        more.accept(o);
        c.connect(o);
        return c;
    }

    private boolean mqttRefused(String user, String password, String clientId, Consumer<MqttConnectOptions> more) {
        try {
            mqtt(user, password, clientId, true, more);
            return false;
        } catch (MqttException e) {
            return true;
        }
    }

    /** @return a core session over TCP as the user, or empty if the broker refused it */
    private Optional<ClientSession> core(String user, String password) throws Exception {
        ServerLocator locator = ActiveMQClient.createServerLocator(broker.acceptorUrl("CORE").orElseThrow())
                .setReconnectAttempts(0);
        locators.add(locator);
        try {
            return Optional.of(locator.createSessionFactory().createSession(user, password, false, true, true, false,
                    0));
        } catch (ActiveMQException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Modules a and b of device gw: each its own client ids gw/<m>[/<suffix>] and its own topics. */
    static final class Modules implements BrokerAuthenticator {
        private final Map<String, String> passwords = new HashMap<>(Map.of("a", "pa", "b", "pb"));
        private volatile Consumer<String> revoked = m -> {
        };
        volatile boolean lax;

        synchronized void revoke(String module) {
            passwords.remove(module);
            revoked.accept(module);
        }

        @Override
        public synchronized Optional<String> authenticate(String username, String password, String remoteAddress) {
            return password.equals(passwords.get(username)) ? Optional.of(username) : Optional.empty();
        }

        @Override
        public boolean authorize(String identity, Action action, String address) {
            return action != Action.MANAGE && address.startsWith("devices.gw.modules." + identity + ".");
        }

        @Override
        public boolean mayUseClientId(String identity, String clientId) {
            return lax || clientId.equals("gw/" + identity) || clientId.startsWith("gw/" + identity + "/");
        }

        @Override
        public AutoCloseable onRevoked(Consumer<String> listener) {
            this.revoked = listener;
            return () -> this.revoked = m -> {
            };
        }
    }
}
