/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/** The server on a real socket, with an MQTT client as a device connects. */
class IotHubServerTest {

    @TempDir
    Path dir;

    private final List<String> telemetry = new CopyOnWriteArrayList<>();
    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final List<DesiredPatchListener> desired = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    private final TwinService twins = new TwinService() {
        @Override
        public TwinDocument twin(Identity identity) {
            return TwinDocument.empty();
        }

        @Override
        public TwinDocument patchReported(Identity identity, String patchJson) {
            return TwinDocument.empty().patchReported(patchJson, TwinLimits.IOT_HUB);
        }

        @Override
        public Subscription onDesiredPatch(DesiredPatchListener listener) {
            desired.add(listener);
            return () -> desired.remove(listener);
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private IotHubServer start(int port) throws Exception {
        return start(new ServerSettings("test-iothub", "127.0.0.1", port, "hub.example", -1, dir.resolve("none.p12"),
                "", 256 * 1024, 10, "etc/test.cfg"));
    }

    private IotHubServer start(ServerSettings settings) throws Exception {
        IotHubServer server = IotHubServer.builder(settings).authenticator((claimed, c) -> c
                        .password().filter("key"::equals).isPresent() ? Authentication.accepted(claimed)
                                : Authentication.refused("wrong device key"))
                .telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, TelemetryTopic t, byte[] payload) {
                        telemetry.add(identity + " " + new String(payload, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void close() {
                    }
                }).twins(twins).connections(new org.outpost.iothub.spi.ConnectionListener() {
                    @Override
                    public void connected(Identity identity) {
                        connections.add("+" + identity);
                    }

                    @Override
                    public void disconnected(Identity identity) {
                        connections.add("-" + identity);
                    }
                }).build();
        open.add(server);
        server.start();
        return server;
    }

    private MqttClient client(IotHubServer server, String clientId, String password) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + server.port(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("hub.example/" + clientId + "/?api-version=2021-04-12");
        o.setPassword(password.toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        c.connect(o);
        open.add(c::close);
        return c;
    }

    @Test
    void aDeviceSendsTelemetryGetsItsTwinAndDesiredPatchesAndAnswersMethods() throws Exception {
        IotHubServer server = start(0);
        MqttClient c = client(server, "d1", "key");
        List<String> received = new CopyOnWriteArrayList<>();
        c.subscribe(new String[] {IotHubTopic.TWIN_RESPONSES, IotHubTopic.DESIRED_PATCHES, IotHubTopic.METHOD_CALLS},
                new int[] {1, 1, 1}, new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
                    (t, m) -> received.add(t), (t, m) -> received.add(t), (t, m) -> {
                        received.add(t);
                        IotHubTopic.MethodCall call = (IotHubTopic.MethodCall) IotHubTopic.parse(t).orElseThrow();
                        c.publish(new IotHubTopic.MethodResponse(200, call.rid()).format(), "{\"done\":1}"
                                .getBytes(), 1, false);
                    }});

        c.publish("devices/d1/messages/events/", "21.5".getBytes(), 1, false);
        c.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, false);
        desired.forEach(l -> l.desiredPatch(Identity.device("d1"), 4, "{\"a\":1,\"$version\":4}"));
        CompletableFuture<MethodResult> call = server.invoke(Identity.device("d1"), "reboot", "{}",
                Duration.ofSeconds(10)).toCompletableFuture();

        assertThat(telemetry).containsExactly("d1 21.5");
        assertThat(call.get()).isEqualTo(new MethodResult(200, "{\"done\":1}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).containsExactlyInAnyOrder("$iothub/twin/res/200/?$rid=1",
                "$iothub/twin/PATCH/properties/desired/?$version=4", "$iothub/methods/POST/reboot/?$rid=1");
        assertThat(server.connected(Identity.device("d1"))).isTrue();
        assertThat(server.tlsPort()).isEqualTo(-1);
    }

    @Test
    void aWrongKeyIsRefusedAndAnIdentityNotConnectedHereGoesToTheRelay() throws Exception {
        IotHubServer server = start(0);

        assertThatThrownBy(() -> client(server, "d1", "nope")).isInstanceOf(MqttException.class).extracting(
                e -> ((MqttException) e).getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(server.invoke(Identity.device("d1"), "reboot", "{}", Duration.ofSeconds(5)).toCompletableFuture()
                .get()).isEqualTo(MethodResult.error(404, "d1 is not connected"));
        assertThat(server.invokeConnected(Identity.device("d1"), "reboot", "{}", Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void disconnectingADeviceClosesItsModulesToo() throws Exception {
        IotHubServer server = start(0);
        MqttClient device = client(server, "d1", "key");
        MqttClient module = client(server, "d1/m1", "key");
        MqttClient other = client(server, "d2", "key");

        server.disconnect(identity -> identity.deviceId().equals("d1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !device.isConnected() && !module.isConnected());
        assertThat(other.isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.containsAll(List.of("-d1", "-d1/m1")));
        assertThat(connections).doesNotContain("-d2");
    }

    @Test
    void aTakenPortSaysWhichSettingToChange() throws Exception {
        IotHubServer first = start(0);

        assertThatThrownBy(() -> start(first.port())).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(
                "the IoT Hub endpoint cannot listen on 127.0.0.1:" + first.port()).hasMessageEndingWith(
                        "change port in etc/test.cfg");
    }

    @Test
    void anOversizedMessageClosesItsSendersConnectionOnlyAndIsNotTaken() throws Exception {
        IotHubServer server = start(0);
        MqttClient big = client(server, "d1/m1", "key");
        MqttClient other = client(server, "d1/m2", "key");

        assertThatThrownBy(() -> big.publish("devices/d1/modules/m1/messages/events/", new byte[300 * 1024], 1,
                false)).isInstanceOf(MqttException.class);
        other.publish("devices/d1/modules/m2/messages/events/", "ok".getBytes(), 1, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> !big.isConnected());
        assertThat(telemetry).containsExactly("d1/m2 ok");
        assertThat(other.isConnected()).isTrue();
    }

    @Test
    void withoutAPlainPortOnlyTlsListensAndARenewedKeyStoreIsServedToNewConnections() throws Exception {
        Path store = dir.resolve("server.p12");
        IotHubServer server = start(new ServerSettings("test-iothub", "127.0.0.1", -1, "hub.example", 0, store,
                "secret", 256 * 1024, 10, "etc/test.cfg"));
        assertThat(server.port()).isEqualTo(-1);
        assertThat(server.tlsPort()).as("no key store yet").isEqualTo(-1);

        try (java.io.InputStream in = getClass().getResourceAsStream("/server.p12")) {
            java.nio.file.Files.copy(in, store);
        }
        server.reloadTls();
        String first = serverCertificateSubject(server.tlsPort());
        Path renewed = dir.resolve("renewed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-storetype", "PKCS12", "-keystore",
                renewed.toString(), "-storepass", "secret", "-dname", "CN=renewed").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        java.nio.file.Files.move(renewed, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        server.reloadTls();

        assertThat(first).doesNotContain("CN=renewed");
        assertThat(serverCertificateSubject(server.tlsPort())).isEqualTo("CN=renewed");
    }

    /** @return the subject of the certificate a TLS handshake with the port gets */
    private static String serverCertificateSubject(int port) throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
                port)) {
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        }
    }

    @Test
    void aPlainPortOffLoopbackRefusesToStartSayingWhichKeyToSetAndListensOnNothing() {
        ServerSettings offLoopback = new ServerSettings("test-iothub", "0.0.0.0", 0, "hub.example", -1, dir.resolve(
                "none.p12"), "", 256 * 1024, 10, "etc/test.cfg");

        assertThatThrownBy(() -> start(offLoopback)).isInstanceOf(IllegalStateException.class).hasMessage(
                "the IoT Hub endpoint's plain MQTT port would listen without TLS on 0.0.0.0:0, which is not"
                        + " loopback: in etc/test.cfg set port = -1 (clients use tls.port), bind it to 127.0.0.1, or"
                        + " set allow.plain.off.loopback = true if the network is trusted");
    }

    @Test
    void aPlainPortOffLoopbackListensWhenTheNetworkIsDeclaredTrusted() throws Exception {
        IotHubServer server = start(new ServerSettings("test-iothub", "0.0.0.0", 0, "hub.example", -1, dir.resolve(
                "none.p12"), "", 256 * 1024, 10, "etc/test.cfg").withPlainOffLoopback(true));

        MqttClient c = client(server, "d1", "key");

        assertThat(c.isConnected()).isTrue();
        c.disconnect();
    }

    @Test
    void portMinusOneOpensNoPlainListenerAndNoOffLoopbackCheckApplies() throws Exception {
        IotHubServer server = start(new ServerSettings("test-iothub", "0.0.0.0", -1, "hub.example", -1, dir.resolve(
                "none.p12"), "", 256 * 1024, 10, "etc/test.cfg"));

        assertThat(server.port()).isEqualTo(-1);
        assertThat(server.tlsPort()).isEqualTo(-1);
    }

    @Test
    void closingStopsListeningAndHearingOfDesiredPatches() throws Exception {
        IotHubServer server = start(0);
        int port = server.port();

        server.close();

        assertThat(desired).isEmpty();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close()).isInstanceOf(
                java.io.IOException.class);
    }
}
