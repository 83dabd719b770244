/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.outpost.broker.api.Broker;
import org.outpost.hub.api.CloudToDevice;
import org.outpost.hub.api.Methods;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;

/** The hub lets in registered devices only, on their own topics, and ingests what they send. */
public class HubIT extends KarafTestSupport {

    @Inject
    protected Broker broker;

    @Inject
    protected Telemetry telemetry;

    @Override
    protected String distributionProperty() {
        return "outpost.hub.distribution";
    }

    @Inject
    protected Twins twins;

    @Inject
    protected Methods methods;

    @Inject
    protected CloudToDevice cloudToDevice;

    private static final String IOTHUB_PORT = "outpost.test.iothub.port";

    @Override
    protected Option[] extraOptions() {
        int port = freePort();
        return new Option[] {
            systemProperty(IOTHUB_PORT).value(Integer.toString(port)),
            editConfigurationFilePut("etc/org.outpost.hub.iothub.cfg", "port", Integer.toString(port)),
            editConfigurationFilePut("etc/org.outpost.hub.iothub.cfg", "auth.max.failures.per.minute", "5")
        };
    }

    @Test
    public void aDeviceUsesItsTwinMethodsAndTelemetryOverTheIotHubContractWithASasToken() throws Exception {
        String key = createDevice("gw-twin");
        String host = "outpost-hub.local";
        String token = SasToken.create(host + "/devices/gw-twin", key, Instant.now().plusSeconds(3600));
        BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        MqttClient c = iothubClient("gw-twin", host + "/gw-twin/?api-version=2021-04-12", token, received);
        try {
            c.subscribe(IotHubTopic.TWIN_RESPONSES, 1);
            c.subscribe(IotHubTopic.DESIRED_PATCHES, 1);

            c.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, false);
            String[] got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got[0]).isEqualTo("$iothub/twin/res/200/?$rid=1");
            assertThat(got[1]).isEqualTo("{\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}");

            c.publish("$iothub/twin/PATCH/properties/reported/?$rid=2", "{\"fw\": \"1.2\"}".getBytes(
                    StandardCharsets.UTF_8), 1, false);
            got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got[0]).isEqualTo("$iothub/twin/res/204/?$rid=2&$version=2");
            assertThat(shell("hub:twin gw-twin")).contains("\"fw\" : \"1.2\"");
            // A twin query finds it by its reported properties; a malformed one says where it went wrong.
            assertThat(shell("hub:twin-query \"properties.reported.fw = '1.2' AND deviceId IN ['gw-twin']\""))
                    .containsPattern("gw-twin\\s*\\|\\s*1\\s*\\|\\s*2");
            assertThat(shell("hub:twin-query \"properties.reported.fw = '9'\"")).contains("No device matches.");
            assertThatThrownBy(() -> shell("hub:twin-query \"properties.reported.fw =\""))
                    .hasMessageContaining("Not a condition: column 25:");
            // A deployment object is checked and shows which devices it would reach, changing nothing.
            java.nio.file.Path deployment = java.nio.file.Files.createTempFile("deployment", ".json");
            java.nio.file.Files.writeString(deployment, "{\"id\": \"fw-12\", \"priority\": 5, \"targetCondition\":"
                    + " \"properties.reported.fw = '1.2'\", \"content\": {\"modulesContent\": {\"$edgeAgent\":"
                    + " {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"modules\": {\"fw\": {\"type\":"
                    + " \"bundle\", \"settings\": {\"location\": \"mvn:org.example/fw/1.2\"}}}}}, \"$edgeHub\":"
                    + " {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {\"up\": \"FROM"
                    + " /messages/* WHERE temp > INTO $upstream\"}}}}}}");
            // The route is compiled by the gateway's own compiler, built into the hub.
            assertThatThrownBy(() -> shell("hub:deployment-check " + deployment)).hasMessageContaining(
                    "Refused: content.modulesContent.$edgeHub.properties.desired.routes.up: column ");
            java.nio.file.Files.writeString(deployment, java.nio.file.Files.readString(deployment).replace(
                    " WHERE temp >", ""));
            assertThat(shell("hub:deployment-check " + deployment)).contains("Deployment 'fw-12' (base, priority 5)",
                    "targets 1 of", "gw-twin");
            java.nio.file.Files.writeString(deployment, "{\"id\": \"fw-12\", \"targetCondition\": \"x =\"}");
            assertThatThrownBy(() -> shell("hub:deployment-check " + deployment))
                    .hasMessageContaining("Refused: targetCondition: column 4:");

            // A patch that breaks a key rule is answered 400 with the reason; the twin stays.
            c.publish("$iothub/twin/PATCH/properties/reported/?$rid=3", "{\"a.b\": 1}".getBytes(
                    StandardCharsets.UTF_8), 1, false);
            got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got[0]).isEqualTo("$iothub/twin/res/400/?$rid=3");
            assertThat(got[1]).contains("reported.a.b: a key may not contain '.'");
            assertThat(twins.twin("gw-twin", null).reportedVersion()).isEqualTo(2);

            // Desired set at the hub reaches the connected device at once, as a patch with its version.
            twins.patchDesired("gw-twin", null, "{\"interval\": 5}");
            got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got[0]).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=2");
            assertThat(got[1]).isEqualTo("{\"interval\":5,\"$version\":2}");

            // A direct method: the device gets the call on its methods topic and answers with the request id.
            c.subscribe(IotHubTopic.METHOD_CALLS, 1);
            java.util.concurrent.CompletableFuture<Methods.Result> call = methods.invoke("gw-twin", null, "reboot",
                    "{\"delay\": 1}", Duration.ofSeconds(10)).toCompletableFuture();
            got = received.poll(10, TimeUnit.SECONDS);
            IotHubTopic.MethodCall request = (IotHubTopic.MethodCall) IotHubTopic.parse(got[0]).orElseThrow();
            assertThat(request.method()).isEqualTo("reboot");
            assertThat(got[1]).isEqualTo("{\"delay\": 1}");
            c.publish(new IotHubTopic.MethodResponse(200, request.rid()).format(), "{\"rebooting\": true}"
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(new Methods.Result(200, "{\"rebooting\": true}"));
            // No answer: 504 after the timeout; not connected: 404 at once; bad requests are refused.
            Methods.Result silent = methods.invoke("gw-twin", null, "slow", "{}", Duration.ofSeconds(5))
                    .toCompletableFuture().get(15, TimeUnit.SECONDS);
            received.poll(10, TimeUnit.SECONDS);
            assertThat(silent.status()).isEqualTo(504);
            assertThat(silent.payload()).contains("did not answer slow within 5 s");
            createDevice("gw-away");
            assertThat(methods.invoke("gw-away", null, "x", "{}", Duration.ofSeconds(5)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).status()).isEqualTo(404);
            assertThat(shell("hub:invoke --timeout 5 gw-away ping")).contains("Status: 404",
                    "gw-away is not connected");
            assertThatThrownBy(() -> methods.invoke("gw-twin", null, "x", "{}", Duration.ofSeconds(1)))
                    .hasMessageContaining("timeout 1 s is out of range: 5 to 300 s");
            assertThatThrownBy(() -> methods.invoke("gw-twin", null, "x", "{not json", Duration.ofSeconds(5)))
                    .hasMessageContaining("the payload is not JSON");

            // Telemetry is stored at the hub before it is acknowledged, then ingested as before.
            c.publish("devices/gw-twin/messages/events/k=v", "{\"t\": 21}".getBytes(StandardCharsets.UTF_8), 1,
                    false);
            await().atMost(Duration.ofSeconds(30)).until(() -> !telemetry.recent("gw-twin", 10).isEmpty());
            assertThat(telemetry.recent("gw-twin", 10).get(0).message().properties()).containsEntry("k", "v");
        } finally {
            c.disconnect();
            c.close();
        }

        // Cloud-to-device: sent while the device is offline, kept, delivered when it subscribes, removed once acked.
        assertThat(shell("hub:c2d -p k=v gw-twin hello-device")).contains("queued for gw-twin (1 waiting)");
        received.clear();
        MqttClient again = iothubClient("gw-twin", host + "/gw-twin/?api-version=2021-04-12", token, received);
        try {
            again.subscribe(IotHubTopic.CloudToDevice.filter("gw-twin"), 1);
            String[] c2d = received.poll(10, TimeUnit.SECONDS);
            assertThat(c2d).isNotNull();
            IotHubTopic.CloudToDevice topic = (IotHubTopic.CloudToDevice) IotHubTopic.parse(c2d[0]).orElseThrow();
            assertThat(topic.properties()).containsEntry("k", "v").containsKey("$.mid");
            assertThat(c2d[1]).isEqualTo("hello-device");
            await().atMost(Duration.ofSeconds(10)).until(() -> cloudToDevice.pending("gw-twin") == 0);
        } finally {
            again.disconnect();
            again.close();
        }

        // Other keys, other devices' tokens, expired tokens and unknown devices are refused.
        String other = createDevice("gw-other");
        assertThatThrownBy(() -> iothubClient("gw-twin", "x", SasToken.create(host + "/devices/gw-twin", other,
                Instant.now().plusSeconds(60)), received)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> iothubClient("gw-twin", "x", SasToken.create(host + "/devices/gw-other", other,
                Instant.now().plusSeconds(60)), received)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> iothubClient("gw-twin", "x", SasToken.create(host + "/devices/gw-twin", key,
                Instant.now().minusSeconds(1)), received)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> iothubClient("nobody", "x", token, received)).isInstanceOf(
                MqttSecurityException.class);
        // The device key itself is a password too (what the gateway's upstream gives).
        iothubClient("gw-twin", "gw-twin", key, received).disconnect();

        // A fifth failure within the minute (the limit here) blocks the address, even with the right key.
        assertThatThrownBy(() -> iothubClient("gw-twin", "x", key + "x", received)).isInstanceOf(
                MqttSecurityException.class);
        assertThatThrownBy(() -> iothubClient("gw-twin", "gw-twin", key, received)).isInstanceOf(
                MqttSecurityException.class);
    }

    /** @return a client connected to the hub's IoT Hub endpoint, putting what it receives in {@code received} */
    private static MqttClient iothubClient(String clientId, String user, String password,
            BlockingQueue<String[]> received) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + System.getProperty(IOTHUB_PORT), clientId,
                new MemoryPersistence());
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                received.add(new String[] {topic, new String(message.getPayload(), StandardCharsets.UTF_8)});
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setCleanSession(false);
        // As IoT Hub SDKs do; Paho's default would retry a refused connection as MQTT 3.1, which the hub refuses.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        c.connect(o);
        return c;
    }

    @Test
    public void aRegisteredDeviceSendsTelemetryWithItsKeyAndOnlyOnItsOwnTopics() throws Exception {
        String key = createDevice("gw-test");
        createDevice("other");

        try (Device device = new Device("gw-test", key)) {
            device.publish("devices/gw-test/modules/m1/messages/events/%24.on=out&k=v", "{\"n\":1}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !telemetry.recent("gw-test", 10).isEmpty());
        Telemetry.Received r = telemetry.recent("gw-test", 10).get(0);
        assertThat(r.moduleId()).isEqualTo("m1");
        assertThat(r.message().outputName()).isEqualTo("out");
        assertThat(r.message().properties()).containsEntry("k", "v");
        assertThat(r.message().bodyAsString()).isEqualTo("{\"n\":1}");
        assertThat(shell("hub:devices")).containsPattern("gw-test\\s*\\|[^\\n]*\\|\\s*1\\s*\\|\\s*-\\s*\\|");
        assertThat(shell("hub:telemetry")).contains("gw-test", "m1", "{\"n\":1}");

        // Publishing under another device's topics is refused; nothing arrives in its name.
        try (Device device = new Device("gw-test", key)) {
            assertThatThrownBy(() -> device.publish("devices/other/messages/events/", "spoofed"))
                    .isInstanceOf(MqttException.class);
        }
        try (Device device = new Device("gw-test", key)) {
            device.publish("devices/gw-test/messages/events/", "after");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> telemetry.recent("gw-test", 10).size() == 2);
        assertThat(telemetry.recent("other", 10)).isEmpty();
    }

    @Test
    public void wrongMissingAndRotatedKeysAreRefused() throws Exception {
        String key = createDevice("gw-keys");

        assertThatThrownBy(() -> new Device("gw-keys", key + "x")).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> new Device("nobody", key)).isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> new Device(null, null)).isInstanceOf(MqttSecurityException.class);

        String rotated = keyOf(shell("hub:device-create --json --rotate gw-keys"));
        assertThatThrownBy(() -> new Device("gw-keys", key)).isInstanceOf(MqttSecurityException.class);
        new Device("gw-keys", rotated).close();
    }

    private String createDevice(String id) throws Exception {
        return keyOf(shell("hub:device-create --json " + id));
    }

    private static String keyOf(String json) {
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as("a key in: " + json).isTrue();
        return m.group(1);
    }

    /** A device connecting to the hub's MQTT endpoint. */
    private final class Device implements AutoCloseable {
        private final MqttClient client;

        Device(String id, String key) throws MqttException {
            client = new MqttClient(broker.acceptorUrl("MQTT").orElseThrow(), id == null ? "anonymous" : id,
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            if (id != null) {
                o.setUserName(id);
                o.setPassword(key.toCharArray());
            }
            client.connect(o);
        }

        void publish(String topic, String body) throws MqttException {
            client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
