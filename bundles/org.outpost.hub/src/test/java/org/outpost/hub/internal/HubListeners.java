/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.outpost.api.config.ConfigValues;
import org.outpost.broker.api.Broker;
import org.outpost.broker.internal.TestBroker;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.SasToken;

/**
 * One hub node's listeners on real sockets, as the distribution wires them: the broker's MQTT port (the embedded
 * broker with {@link DeviceAuthenticator}, {@link BrokerRevocation} and {@link BrokerLimits}) and the IoT Hub endpoint,
 * both over the one {@link IdentityCheck} and a real database. The other hub nodes are an {@link EventBus}: what they
 * announce is delivered by hand ({@link #fromAnotherNode}).
 */
final class HubListeners implements AutoCloseable {

    static final String HOST = "hub.example";

    final EventBus otherNodes = new EventBus();
    final Database db;
    final DeviceStore devices;
    final ModuleStore modules;
    final IdentityCheck check;
    final DeviceAuthenticator authenticator;
    final BrokerRevocation revocation;
    final BrokerLimits limits;
    final Broker broker;
    final TwinStore twins;
    final C2dStore c2d;
    final IotHubEndpoint endpoint;
    final int brokerPort;

    HubListeners(Path dir, Map<String, Object> hubConfig) throws Exception {
        db = new Database(Database.Settings.embedded(dir.resolve("db")));
        HubDatabase node = new Node(db, otherNodes);
        devices = new DeviceStore(node, Boxes.BOX);
        modules = new ModuleStore(node, devices, Boxes.BOX);
        check = new IdentityCheck(devices, modules, Duration.ofDays(365), Instant::now);
        authenticator = new DeviceAuthenticator(check, devices);
        revocation = new BrokerRevocation(devices, modules);
        limits = new BrokerLimits(config(BrokerLimits.Config.class, hubConfig));
        brokerPort = freePort();
        broker = TestBroker.start(dir, brokerPort, authenticator, revocation, limits);
        twins = new TwinStore(node, devices, ConfigValues.defaults(TwinStore.Config.class));
        c2d = new C2dStore(node, devices, ConfigValues.defaults(C2dStore.Config.class));
        endpoint = new IotHubEndpoint(devices, modules, twins, c2d, broker, node, check, config(
                IotHubEndpoint.Config.class, Map.of("port", 0, "tls_port", -1, "host_name", HOST)));
    }

    /** Delivers an event as if another hub node had announced it. */
    void fromAnotherNode(String topic, String data) {
        otherNodes.fromAnotherNode(topic, data);
    }

    /** @return a client connected to the broker's MQTT port */
    MqttClient atBroker(String clientId, String user, String password) throws MqttException {
        return connect("tcp://127.0.0.1:" + brokerPort, clientId, user, password, null);
    }

    /** @return a client connected to the broker's MQTT port, with options of the test's */
    MqttClient atBroker(String clientId, String user, String password, Consumer<MqttConnectOptions> options)
            throws MqttException {
        return connect("tcp://127.0.0.1:" + brokerPort, clientId, user, password, options);
    }

    /** @return a device or module connected to the IoT Hub endpoint with a SAS token signed with {@code key} */
    MqttClient atEndpoint(String deviceId, String moduleId, String key) throws MqttException {
        String id = moduleId == null ? deviceId : deviceId + "/" + moduleId;
        String resource = HOST + "/devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId);
        return connect("tcp://127.0.0.1:" + endpoint.port(), id, HOST + "/" + id + "/?api-version=2021-04-12",
                SasToken.create(resource, key, Instant.now().plusSeconds(3600)), null);
    }

    /** @return a client connected to the IoT Hub endpoint as {@code clientId} with this password (a SAS token) */
    MqttClient atEndpointWith(String clientId, String password) throws MqttException {
        return connect("tcp://127.0.0.1:" + endpoint.port(), clientId, HOST + "/" + clientId
                + "/?api-version=2021-04-12", password, null);
    }

    private static MqttClient connect(String url, String clientId, String user, String password,
            Consumer<MqttConnectOptions> more) throws MqttException {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setConnectionTimeout(5);
        if (more != null) {
            more.accept(o);
        }
        try {
            client.connect(o);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
            client.close(true);
        } catch (MqttException e) {
            // Closed by the server already.
        }
    }

    @Override
    public void close() throws Exception {
        endpoint.deactivate();
        c2d.deactivate();
        twins.deactivate();
        TestBroker.stop(broker);
        revocation.deactivate();
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** @return the configuration annotation with these attributes (by method name) and defaults for the rest */
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        A defaults = ConfigValues.defaults(type);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> values
                .containsKey(m.getName()) ? values.get(m.getName()) : m.invoke(defaults, a)));
    }

    /** This node's database: transactions in the real one, events with the other nodes on the bus. */
    private record Node(Database db, EventBus bus) implements HubDatabase {
        @Override
        public <T> T transaction(String what, Work<T> work) {
            return db.transaction(what, work);
        }

        @Override
        public String nodeId() {
            return db.nodeId();
        }

        @Override
        public String product() {
            return db.product();
        }

        @Override
        public void publish(String topic, String data) {
            bus.publish(topic, data);
        }

        @Override
        public Runnable subscribe(String topic, Consumer<String> listener) {
            return bus.subscribe(topic, listener);
        }

        @Override
        public Runnable onResync(Runnable listener) {
            return bus.onResync(listener);
        }
    }
}
