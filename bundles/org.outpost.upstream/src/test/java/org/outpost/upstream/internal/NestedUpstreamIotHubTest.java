/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;

/**
 * A child gateway's upstream against the real IoT Hub server (org.outpost.iothub) over TLS, as its parent's
 * edgehub runs it: the server reads the child's CONNECT, its authenticator checks the SAS token as a parent does
 * (the hub's host name, the child's key), and the child's own telemetry arrives under its id.
 */
class NestedUpstreamIotHubTest {

    private static final String B_KEY = "Yi1kZXZpY2Uta2V5LWZvci10aGUtdGVzdC0xMjM0NTY3OA==";

    @TempDir
    Path dir;

    private UpstreamLink link;
    private IotHubServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (link != null) {
            link.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theParentsServerLetsTheChildInAsItselfAndTakesItsTelemetry() throws Exception {
        RecordingTlsMqttServer certificate = new RecordingTlsMqttServer(dir);
        certificate.close(); // only its key store and CA file are used here
        List<String> claimed = new CopyOnWriteArrayList<>();
        List<String> telemetry = new CopyOnWriteArrayList<>();
        ServerSettings settings = new ServerSettings("parent-edgehub", "127.0.0.1", -1, "localhost", 0,
                certificate.keyStore(), "changeit", 256 * 1024, 10, "etc/org.outpost.edgehub.cfg");
        server = IotHubServer.builder(settings).authenticator((identity, credentials) -> {
            claimed.add(identity.id());
            if (!identity.equals(Identity.device("gw-b")) || !credentials.hasSasToken()) {
                return new Authentication.Refused("not gw-b with a SAS token");
            }
            return Credentials.checkSasToken(credentials.sasToken(), "outpost-hub.local/devices/gw-b", B_KEY, null,
                    Instant.now()).<Authentication>map(Authentication.Refused::new)
                    .orElse(new Authentication.Accepted(identity));
        }).telemetry(identity -> new TelemetryWriter() {
            @Override
            public void write(String topic, org.outpost.protocol.TelemetryTopic t, byte[] payload) {
                telemetry.add(identity.id() + " " + topic);
            }

            @Override
            public void close() {
            }
        }).twins(new TwinService() {
            @Override
            public TwinDocument twin(Identity identity) {
                return TwinDocument.empty();
            }

            @Override
            public TwinDocument patchReported(Identity identity, String patchJson) {
                return TwinDocument.empty();
            }

            @Override
            public org.outpost.iothub.spi.Subscription onDesiredPatch(
                    org.outpost.iothub.spi.DesiredPatchListener listener) {
                return () -> { };
            }
        }).build();
        server.start();
        // etc/org.outpost.upstream.cfg of B, as docs/configuration.md shows it.
        Map<String, Object> cfg = Map.of("url", "ssl://localhost:" + server.tlsPort(), "tls.ca",
                certificate.caPem().toString(), "sas.host.name", "outpost-hub.local");
        UpstreamSettings s = UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg).withCredentials(B_KEY, "");
        link = new UpstreamLink(s, () -> "gw-b", (topic, payload) -> { });

        link.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(link.state()));
        assertThat(claimed).containsExactly("gw-b");
        Message own = Message.builder().body("{}").messageId("1").connectionDeviceId("gw-b").build();
        link.publisher().publish(TopicTemplate.expand(s.topic(), "gw-b", own), new MqttMessage(own.body()),
                new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken t) {
                    }

                    @Override
                    public void onFailure(IMqttToken t, Throwable e) {
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> !telemetry.isEmpty());
        assertThat(telemetry.get(0)).startsWith("gw-b devices/gw-b/messages/events/%24.mid=1");
    }
}
