/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;

/** A gateway asks for its device scope and hears of its changes, over a real socket with an MQTT client. */
class IotHubServerScopeTest {

    private static final String SCOPE = "{\"deviceId\":\"gw\",\"version\":3,\"devices\":[]}";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    /** The scope watches the server holds, by caller. */
    private final Map<Identity, LongConsumer> watching = new ConcurrentHashMap<>();
    private final List<Identity> asked = new CopyOnWriteArrayList<>();

    private final IdentityRegistry registry = new IdentityRegistry() {
        @Override
        public Answer putModule(Identity caller, String moduleId, String bodyJson) {
            return new Answer(404, "{}");
        }

        @Override
        public Answer deleteModule(Identity caller, String moduleId) {
            return new Answer(404, "{}");
        }

        @Override
        public Answer scope(Identity caller) {
            asked.add(caller);
            return caller.deviceId().equals("gw") ? new Answer(200, SCOPE) : new Answer(403,
                    "{\"message\":\"not a gateway\"}");
        }

        @Override
        public Subscription onScopeChange(Identity caller, LongConsumer changed) {
            watching.put(caller, changed);
            return () -> watching.remove(caller);
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private IotHubServer start() throws Exception {
        IotHubServer server = IotHubServer.builder(new ServerSettings("test-iothub", "127.0.0.1", 0, "hub.example",
                -1, dir.resolve("none.p12"), "", 256 * 1024, 10, "etc/test.cfg")).authenticator((claimed, c) -> c
                        .password().filter("key"::equals).isPresent() ? Authentication.accepted(claimed)
                                : Authentication.refused("wrong device key")).identities(registry)
                .telemetry(identity -> new org.outpost.iothub.spi.TelemetryWriter() {
                    @Override
                    public void write(String topic, org.outpost.protocol.TelemetryTopic t, byte[] payload) {
                    }

                    @Override
                    public void close() {
                    }
                }).twins(new org.outpost.iothub.spi.TwinService() {
                    @Override
                    public org.outpost.protocol.TwinDocument twin(Identity identity) {
                        return org.outpost.protocol.TwinDocument.empty();
                    }

                    @Override
                    public org.outpost.protocol.TwinDocument patchReported(Identity identity, String patchJson) {
                        return org.outpost.protocol.TwinDocument.empty();
                    }

                    @Override
                    public Subscription onDesiredPatch(org.outpost.iothub.spi.DesiredPatchListener listener) {
                        return () -> {
                        };
                    }
                }).build();
        open.add(server);
        server.start();
        return server;
    }

    private MqttClient client(IotHubServer server, String clientId, List<String> received) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + server.port(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName("hub.example/" + clientId + "/?api-version=2021-04-12");
        o.setPassword("key".toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(false);
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " q" + message.getQos() + " " + new String(message.getPayload(),
                        StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        c.connect(o);
        open.add(c::close);
        return c;
    }

    @Test
    void theEdgeHubGetsItsScopeOnTheIdentityAnswerTopicAndEveryChangeAtQos1UntilItDisconnects() throws Exception {
        IotHubServer server = start();
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient edgeHub = client(server, "gw/$edgeHub", received);
        edgeHub.subscribe(new String[] {IotHubTopic.IDENTITY_RESPONSES, IotHubTopic.SCOPE_CHANGES}, new int[] {1, 1});

        edgeHub.publish(new IotHubTopic.ScopeRequest("r1").format(), new byte[0], 1, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("$outpost/identities/res/200/?$rid=r1 q1 "
                + SCOPE));
        assertThat(asked).containsExactly(Identity.module("gw", "$edgeHub"));
        Identity caller = Identity.module("gw", "$edgeHub");
        await().atMost(Duration.ofSeconds(5)).until(() -> watching.containsKey(caller));

        watching.get(caller).accept(7);
        watching.get(caller).accept(8);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.containsAll(List.of(
                "$outpost/identities/scope/changed/?$version=7 q1 ", "$outpost/identities/scope/changed/?$version=8 q1 ")));
        edgeHub.disconnect();
        await().atMost(Duration.ofSeconds(5)).until(() -> !watching.containsKey(caller));
    }

    @Test
    void aRefusalOfTheRegistryIsAnsweredWithItsStatus() throws Exception {
        IotHubServer server = start();
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient leaf = client(server, "leaf", received);
        leaf.subscribe(IotHubTopic.IDENTITY_RESPONSES, 1);

        leaf.publish(new IotHubTopic.ScopeRequest("9").format(), new byte[0], 1, false);

        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("$outpost/identities/res/403/?$rid=9 q1"
                + " {\"message\":\"not a gateway\"}"));
    }
}
