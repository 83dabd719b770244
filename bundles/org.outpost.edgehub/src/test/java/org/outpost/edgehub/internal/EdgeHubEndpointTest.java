/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.api.module.MethodHandler;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;

/** The endpoint on a real socket with a real broker, and an MQTT client as a module built with an IoT SDK connects. */
class EdgeHubEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private final Fakes.Identities identities = new Fakes.Identities();
    private final Fakes.Router router = new Fakes.Router();
    private final Fakes.Twins twins = new Fakes.Twins();
    private final Fakes.InVmBroker broker = new Fakes.InVmBroker();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    EdgeHubEndpointTest() throws Exception {
        identities.add("filter", KEY, KEY);
        router.route("toFilter", "FROM /messages/modules/sensor/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in1\")",
                "BrokeredEndpoint(\"/modules/filter/inputs/in1\")");
    }

    @AfterEach
    void close() throws Exception {
        // Last opened, first closed: the clients, then the endpoint.
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        broker.close();
    }

    /** The configuration as Config Admin gives it: a plain port for the test, TLS off (no key store). */
    static EdgeHubEndpoint.Config config() {
        return new EdgeHubEndpoint.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EdgeHubEndpoint.Config.class;
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int tls_port() {
                return 0;
            }

            @Override
            public int port() {
                return 0;
            }

            @Override
            public int max_message_kb() {
                return 256;
            }

            @Override
            public int auth_max_failures_per_minute() {
                return 10;
            }

            @Override
            public int connect_timeout_seconds() {
                return 10;
            }

            @Override
            public int max_idle_seconds() {
                return 600;
            }

            @Override
            public int unwritable_timeout_seconds() {
                return 60;
            }

            @Override
            public int max_connections_per_address() {
                return 100;
            }

            @Override
            public int max_connections() {
                return 10000;
            }

            @Override
            public boolean allow_plain_off_loopback() {
                return false;
            }

            @Override
            public String hub_host_name() {
                return "hub.example";
            }

            @Override
            public int websocket_port() {
                return -1;
            }
        };
    }

    private EdgeHubEndpoint start() throws Exception {
        EdgeHubEndpoint endpoint = new EdgeHubEndpoint(identities, new Fakes.Certificates(dir.resolve("none.p12")),
                router, broker, twins, new ChildFakes.Scope(), new ChildFakes.Relay(), config());
        open.add(endpoint::deactivate);
        return endpoint;
    }

    private MqttClient module(EdgeHubEndpoint endpoint, String module, String resource) throws MqttException {
        return module(endpoint, "gw1/" + module, resource, KEY);
    }

    private MqttClient module(EdgeHubEndpoint endpoint, String clientId, String resource, String key)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + endpoint.port(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("hub.example/" + clientId + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create(resource, key, Instant.now().plusSeconds(3600)).toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        c.connect(o);
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        return c;
    }

    @Test
    void thePlainPortMustBeOnLoopbackUnlessTheConfigurationAllowsItElsewhere() {
        assertThat(EdgeHubEndpoint.settings(config(), new Fakes.Certificates(dir.resolve("none.p12")))
                .allowPlainOffLoopback()).isFalse();
    }

    @Test
    void theWebSocketPortIsTakenFromTheConfigurationAndOffWithoutTls() throws Exception {
        assertThat(EdgeHubEndpoint.settings(config(), new Fakes.Certificates(dir.resolve("none.p12")))
                .webSocketPort()).isEqualTo(-1);
        EdgeHubEndpoint.Config withWebSockets = (EdgeHubEndpoint.Config) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EdgeHubEndpoint.Config.class}, (proxy, method, args) ->
                        method.getName().equals("websocket_port") ? 0 : method.invoke(config(), args));
        assertThat(EdgeHubEndpoint.settings(withWebSockets, new Fakes.Certificates(dir.resolve("none.p12")))
                .webSocketPort()).isZero();

        EdgeHubEndpoint endpoint = new EdgeHubEndpoint(identities, new Fakes.Certificates(dir.resolve("none.p12")),
                router, broker, twins, new ChildFakes.Scope(), new ChildFakes.Relay(), withWebSockets);
        open.add(endpoint::deactivate);
        assertThat(endpoint.webSocketPort()).as("no key store: TLS and WebSockets are off").isEqualTo(-1);
    }

    @Test
    void theConnectionLimitsAreTakenFromTheConfiguration() {
        org.outpost.iothub.ServerSettings.ConnectionLimits limits = EdgeHubEndpoint.settings(config(),
                new Fakes.Certificates(dir.resolve("none.p12"))).limits();

        assertThat(limits.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.maxIdle()).isEqualTo(Duration.ofSeconds(600));
        assertThat(limits.unwritableTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(limits.maxConnectionsPerAddress()).isEqualTo(100);
        assertThat(limits.maxConnections()).isEqualTo(10_000);
    }

    @Test
    void aModuleSendsToAnOutputReceivesItsInputAndAnswersADirectMethod() throws Exception {
        EdgeHubEndpoint endpoint = start();
        MqttClient filter = module(endpoint, "filter", "hub.example/devices/gw1/modules/filter");
        List<String> received = new CopyOnWriteArrayList<>();
        filter.subscribe(new String[] {"devices/gw1/modules/filter/inputs/#", IotHubTopic.METHOD_CALLS},
                new int[] {1, 1}, new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                    (t, m) -> received.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)), (t, m) -> {
                        IotHubTopic.MethodCall call = (IotHubTopic.MethodCall) IotHubTopic.parse(t).orElseThrow();
                        filter.publish(new IotHubTopic.MethodResponse(200, call.rid()).format(), "{\"reset\":true}"
                                .getBytes(), 1, false);
                    }});

        filter.publish("devices/gw1/modules/filter/messages/events/%24.on=out1&%24.mid=m1&%24.cmid=forged&level=high",
                "{\"t\":31}".getBytes(), 1, false);
        broker.store("filter", "in1", Message.builder().body("hello").messageId("i1").connectionModuleId("sensor")
                .outputName("out").build());

        assertThat(router.routed).hasSize(1).first().satisfies(m -> {
            assertThat(m.connectionModuleId()).isEqualTo("filter");
            assertThat(m.connectionDeviceId()).isEqualTo("gw1");
            assertThat(m.outputName()).isEqualTo("out1");
            assertThat(m.messageId()).isEqualTo("m1");
            assertThat(m.properties()).containsEntry("level", "high");
            assertThat(m.bodyAsString()).isEqualTo("{\"t\":31}");
        });
        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received).containsExactly("devices/gw1/modules/filter/inputs/in1/%24.mid=i1&%24.ce=utf-8"
                + "&%24.cmid=sensor&%24.on=out hello");
        await().atMost(WAIT).until(() -> broker.depth("outpost.modules.filter.inputs.in1") == 0);
        assertThat(endpoint.serves("filter")).isTrue();
        assertThat(endpoint.invoke("filter", "reset", "{}", WAIT).toCompletableFuture().get()).isEqualTo(
                new MethodHandler.Result(200, "{\"reset\":true}"));
        assertThat(endpoint.invoke("sensor", "reset", "{}", WAIT).toCompletableFuture().get().status())
                .isEqualTo(404);
        assertThat(endpoint.tlsPort()).as("no key store: TLS is off").isEqualTo(-1);
    }

    @Test
    void aModuleWithATokenForAnotherModuleIsRefused() throws Exception {
        EdgeHubEndpoint endpoint = start();

        assertThatThrownBy(() -> module(endpoint, "filter", "hub.example/devices/gw1/modules/sensor")).isInstanceOf(
                MqttException.class).extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo(
                        (int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(endpoint.serves("filter")).isFalse();
    }

    @Test
    void anotherModuleCannotKnockAConnectedModuleOff() throws Exception {
        identities.add("sensor", KEY, KEY);
        EdgeHubEndpoint endpoint = start();
        MqttClient filter = module(endpoint, "filter", "hub.example/devices/gw1/modules/filter");

        // sensor, with its own good token, under filter's client id: refused, and filter keeps its connection.
        assertThatThrownBy(() -> module(endpoint, "gw1/filter", "hub.example/devices/gw1/modules/sensor", KEY))
                .isInstanceOf(MqttException.class);

        assertThat(filter.isConnected()).isTrue();
        assertThat(endpoint.serves("filter")).isTrue();
    }

    @Test
    void aModuleWhoseIdentityIsReKeyedOrDeletedIsDisconnectedWithinASecond() throws Exception {
        identities.add("sensor", KEY, KEY);
        identities.add("pump", KEY, KEY);
        EdgeHubEndpoint endpoint = start();
        MqttClient filter = module(endpoint, "filter", "hub.example/devices/gw1/modules/filter");
        MqttClient sensor = module(endpoint, "sensor", "hub.example/devices/gw1/modules/sensor");
        MqttClient pump = module(endpoint, "pump", "hub.example/devices/gw1/modules/pump");

        identities.rekey("filter");
        identities.delete("sensor");

        await().atMost(Duration.ofSeconds(1)).until(() -> !filter.isConnected() && !sensor.isConnected());
        assertThat(pump.isConnected()).isTrue();
        // The old key signs nothing any more.
        assertThatThrownBy(() -> module(endpoint, "filter", "hub.example/devices/gw1/modules/filter"))
                .isInstanceOf(MqttException.class);
    }
}
