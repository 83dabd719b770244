/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/** MQTT over secure WebSockets on a real socket, with Paho's {@code wss://} client as the SDKs' MQTT_WS connects. */
class IotHubServerWebSocketTest {

    @TempDir
    Path dir;

    private final List<String> telemetry = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ServerSettings settings(int webSocketPort) throws Exception {
        Path store = dir.resolve("server.p12");
        if (!Files.exists(store)) {
            try (InputStream in = getClass().getResourceAsStream("/server.p12")) {
                Files.copy(in, store);
            }
        }
        return new ServerSettings("test-ws", "127.0.0.1", -1, "hub.example", 0, store, "secret", 256 * 1024, 10,
                "etc/test.cfg").withWebSocketPort(webSocketPort);
    }

    private IotHubServer start(ServerSettings settings) throws Exception {
        IotHubServer server = IotHubServer.builder(settings).authenticator((claimed, c) -> c.password().filter(
                "key"::equals).isPresent() ? Authentication.accepted(claimed) : Authentication.refused("wrong key"))
                .telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, TelemetryTopic t, byte[] payload) {
                        telemetry.add(identity + " " + new String(payload, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void close() {
                    }
                }).twins(new TwinService() {
                    @Override
                    public TwinDocument twin(Identity identity) {
                        return TwinDocument.empty().patchReported("{\"via\":\"ws\"}", TwinLimits.IOT_HUB);
                    }

                    @Override
                    public TwinDocument patchReported(Identity identity, String patchJson) {
                        return TwinDocument.empty();
                    }

                    @Override
                    public Subscription onDesiredPatch(DesiredPatchListener listener) {
                        return () -> {
                        };
                    }
                }).build();
        open.add(server);
        server.start();
        return server;
    }

    private MqttClient client(String uri, String clientId) throws Exception {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("hub.example/" + clientId + "/?api-version=2021-04-12");
        o.setPassword("key".toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(false);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        o.setSocketFactory(tls.getSocketFactory());
        o.setHttpsHostnameVerificationEnabled(false);
        c.connect(o);
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnectForcibly(1000);
            }
            c.close();
        });
        return c;
    }

    @Test
    void aDeviceConnectsOverSecureWebSocketsSendsTelemetryAndGetsItsTwin() throws Exception {
        IotHubServer server = start(settings(0));
        assertThat(server.webSocketPort()).isPositive().isNotEqualTo(server.tlsPort());

        MqttClient c = client("wss://127.0.0.1:" + server.webSocketPort() + "/$iothub/websocket", "d1");
        List<String> twins = new CopyOnWriteArrayList<>();
        c.subscribe(IotHubTopic.TWIN_RESPONSES, 1, (t, m) -> twins.add(new String(m.getPayload(),
                StandardCharsets.UTF_8)));
        c.publish("devices/d1/messages/events/", "over-ws".getBytes(StandardCharsets.UTF_8), 1, false);
        c.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.contains("d1 over-ws") && !twins.isEmpty());
        assertThat(twins.get(0)).contains("\"via\":\"ws\"");
        // MQTT over TLS is the same server: both listen.
        MqttClient tlsClient = client("ssl://127.0.0.1:" + server.tlsPort(), "d2");
        tlsClient.publish("devices/d2/messages/events/", "over-tls".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.contains("d2 over-tls"));
    }

    @Test
    void aWebSocketPortThatCannotBeBoundLeavesTheTlsListenerOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IotHubServer server = start(settings(taken.getLocalPort()));

            assertThat(server.webSocketPort()).isEqualTo(-1);
            assertThat(server.tlsPort()).isPositive();
            MqttClient c = client("ssl://127.0.0.1:" + server.tlsPort(), "d3");
            assertThat(c.isConnected()).isTrue();
        }
    }

    @Test
    void offByDefault() throws Exception {
        IotHubServer server = start(new ServerSettings("test-ws", "127.0.0.1", 0, "hub.example", -1, dir.resolve(
                "none.p12"), "", 1024, 10, "etc/test.cfg"));
        assertThat(server.webSocketPort()).isEqualTo(-1);
    }
}
