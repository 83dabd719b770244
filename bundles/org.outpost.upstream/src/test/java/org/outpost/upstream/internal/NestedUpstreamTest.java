/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.protocol.SasToken;

/**
 * A child gateway B whose upstream is its parent gateway A's IoT Hub endpoint (IoT Edge's parent_hostname): B's
 * configuration as an operator writes it, and the CONNECT that reaches A over TLS.
 */
class NestedUpstreamTest {

    private static final String B_KEY = "Yi1kZXZpY2Uta2V5LWZvci10aGUtdGVzdC0xMjM0NTY3OA==";

    @TempDir
    Path dir;

    private UpstreamLink link;

    @AfterEach
    void stop() throws InterruptedException {
        if (link != null) {
            link.stop();
        }
    }

    @Test
    void aChildGatewayConnectsToItsParentAsItselfWithASasTokenForTheHubAndTrustsTheParentsCa() throws Exception {
        try (RecordingTlsMqttServer parent = new RecordingTlsMqttServer(dir)) {
            // etc/org.outpost.upstream.cfg of B (device.key in B's secrets file; here given directly).
            Map<String, Object> cfg = Map.of("url", parent.url(), "tls.ca", parent.caPem().toString(),
                    "sas.host.name", "outpost-hub.local");
            UpstreamSettings s = UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg)
                    .withCredentials(B_KEY, "");
            link = new UpstreamLink(s, () -> "gw-b", (topic, payload) -> { });

            link.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(link.state()));
            RecordingTlsMqttServer.Connect c = parent.connects.get(0);
            assertThat(c.clientId()).isEqualTo("gw-b");
            assertThat(c.username()).isEqualTo("outpost-hub.local/gw-b/?api-version=2021-04-12");
            assertThat(c.cleanSession()).isFalse();
            // What A's edgehub checks: a device-level token of B, for the hub's host name, signed with B's key.
            SasToken token = SasToken.parse(c.password());
            assertThat(token.device()).contains("gw-b");
            assertThat(token.check("outpost-hub.local/devices/gw-b", B_KEY, Instant.now()))
                    .isEqualTo(SasToken.Check.VALID);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> parent.subscriptions.contains("devices/gw-b/messages/devicebound/#"));
        }
    }

    @Test
    void telemetryOfALeafBelowTheChildAndOfTheChildsModulesGoesToTheParentUnderEachSender() throws Exception {
        try (RecordingTlsMqttServer parent = new RecordingTlsMqttServer(dir)) {
            Map<String, Object> cfg = Map.of("url", parent.url(), "tls.ca", parent.caPem().toString());
            UpstreamSettings s = UpstreamSettings.from(UpstreamSettingsTest.config(cfg), cfg)
                    .withCredentials(B_KEY, "");
            link = new UpstreamLink(s, () -> "gw-b", (topic, payload) -> { });
            link.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> "connected".equals(link.state()));

            Message leaf = Message.builder().body("{}").messageId("1").connectionDeviceId("leaf-c").build();
            Message module = Message.builder().body("{}").messageId("2").connectionDeviceId("gw-b")
                    .connectionModuleId("filter").build();
            for (Message m : new Message[] {leaf, module}) {
                link.publisher().publish(TopicTemplate.expand(s.topic(), "gw-b", m), new MqttMessage(m.body()),
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken t) {
                            }

                            @Override
                            public void onFailure(IMqttToken t, Throwable e) {
                            }
                        });
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> parent.published.size() == 2);
            assertThat(parent.published.get(0)).startsWith("devices/leaf-c/messages/events/%24.mid=1&")
                    .contains("%24.cdid=leaf-c").doesNotContain("%24.cmid");
            assertThat(parent.published.get(1)).startsWith("devices/gw-b/modules/filter/messages/events/%24.mid=2&")
                    .contains("%24.cdid=gw-b").contains("%24.cmid=filter");
        }
    }
}
