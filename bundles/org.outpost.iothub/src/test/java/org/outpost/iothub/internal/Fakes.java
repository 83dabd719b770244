/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.outpost.iothub.IotHubAcl;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.AuthLimiter;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

/** In-memory SPIs that remember what the server asked of them, and MQTT packets as clients send them. */
final class Fakes {

    static final String PASSWORD = "good";
    /** The server's longest silence of its sessions. */
    static final Duration MAX_IDLE = Duration.ofSeconds(600);

    /** Lets in whoever gives {@link #PASSWORD}; remembers what it was asked. */
    static final class Authenticator implements IdentityAuthenticator {
        final List<Credentials> asked = new CopyOnWriteArrayList<>();
        /** Devices let in as devices behind a gateway ({@link Identity.Kind#CHILD_DEVICE}). */
        final java.util.Set<String> children = new java.util.concurrent.CopyOnWriteArraySet<>();

        @Override
        public Authentication authenticate(Identity claimed, Credentials credentials) {
            asked.add(credentials);
            Identity accepted = children.contains(claimed.id()) ? new Identity(Identity.Kind.CHILD_DEVICE, claimed
                    .deviceId(), null) : claimed;
            return credentials.password().filter(PASSWORD::equals).isPresent() ? Authentication.accepted(accepted)
                    : Authentication.refused("wrong device key");
        }
    }

    record Written(Identity identity, String topic, String payload) {
    }

    /** Keeps what is written; fails while {@link #failing} is set. */
    static final class Telemetry implements TelemetrySink {
        final List<Written> written = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        volatile int opened;
        volatile int closed;
        /** When set, writes are taken asynchronously: each waits in {@link #held} until the test completes it. */
        volatile boolean holding;
        final List<java.util.concurrent.CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

        @Override
        public TelemetryWriter open(Identity identity) {
            opened++;
            return new TelemetryWriter() {
                @Override
                public void write(String topic, TelemetryTopic telemetry, byte[] payload) throws Exception {
                    if (failing) {
                        throw new java.io.IOException("the broker is full");
                    }
                    written.add(new Written(identity, topic, new String(payload)));
                }

                @Override
                public java.util.concurrent.CompletionStage<Void> writeAsync(String topic, TelemetryTopic telemetry,
                        byte[] payload) {
                    if (!holding) {
                        return TelemetryWriter.super.writeAsync(topic, telemetry, payload);
                    }
                    written.add(new Written(identity, topic, new String(payload)));
                    java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
                    held.add(f);
                    return f;
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    /** One twin per identity, in memory; a reported patch with "bad" in it is refused. */
    static final class Twins implements TwinService {
        final Map<String, TwinDocument> twins = new java.util.concurrent.ConcurrentHashMap<>();
        final List<DesiredPatchListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public TwinDocument twin(Identity identity) {
            TwinDocument t = twins.get(identity.id());
            if (t == null) {
                throw new IllegalArgumentException("no device '" + identity.deviceId() + "' is registered");
            }
            return t;
        }

        @Override
        public TwinDocument patchReported(Identity identity, String patchJson) {
            if (patchJson.contains("bad")) {
                throw new TwinException("reported.bad", "is not allowed");
            }
            return twins.compute(identity.id(), (k, t) -> (t == null ? TwinDocument.empty() : t).patchReported(
                    patchJson, TwinLimits.IOT_HUB));
        }

        @Override
        public Subscription onDesiredPatch(DesiredPatchListener listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    /** Messages waiting in a list, in order; remembers what was delivered. */
    static final class CloudToDevice implements CloudToDeviceSource {
        final List<CloudToDeviceMessage> waiting = new CopyOnWriteArrayList<>();
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final List<Runnable> arrivals = new CopyOnWriteArrayList<>();

        void add(long seq, String body) {
            waiting.add(new CloudToDeviceMessage(seq, Map.of("$.mid", "m" + seq), body.getBytes()));
            arrivals.forEach(Runnable::run);
        }

        @Override
        public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
            return waiting.stream().filter(m -> m.seq() > afterSeq).limit(max).toList();
        }

        @Override
        public void delivered(Identity identity, CloudToDeviceMessage message) {
            delivered.add(message.seq());
            waiting.remove(message);
        }

        @Override
        public Subscription onMessage(Identity identity, Runnable arrived) {
            arrivals.add(arrived);
            return () -> arrivals.remove(arrived);
        }
    }

    /** Input messages waiting in a list, in order; remembers what was delivered. */
    static final class Inputs implements org.outpost.iothub.spi.InputSource {
        final List<org.outpost.iothub.spi.InputMessage> waiting = new CopyOnWriteArrayList<>();
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final List<Runnable> arrivals = new CopyOnWriteArrayList<>();

        void add(long seq, String input, String body) {
            waiting.add(new org.outpost.iothub.spi.InputMessage(seq, input, Map.of("$.mid", "m" + seq),
                    body.getBytes()));
            arrivals.forEach(Runnable::run);
        }

        @Override
        public List<org.outpost.iothub.spi.InputMessage> waiting(Identity module, long afterSeq, int max) {
            return waiting.stream().filter(m -> m.seq() > afterSeq).limit(max).toList();
        }

        @Override
        public void delivered(Identity module, org.outpost.iothub.spi.InputMessage message) {
            delivered.add(message.seq());
            waiting.remove(message);
        }

        @Override
        public Subscription onMessage(Identity module, Runnable arrived) {
            arrivals.add(arrived);
            return () -> arrivals.remove(arrived);
        }
    }

    /** Remembers connections and disconnections as {@code +id} and {@code -id}. */
    static final class Connections implements ConnectionListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void connected(Identity identity) {
            events.add("+" + identity);
        }

        @Override
        public void disconnected(Identity identity) {
            events.add("-" + identity);
        }
    }

    record Asked(Identity caller, String method, String moduleId, String body) {
    }

    /** Answers every request with {@link #answer}; remembers what it was asked. */
    static final class Identities implements org.outpost.iothub.spi.IdentityRegistry {
        final List<Asked> asked = new CopyOnWriteArrayList<>();
        volatile Answer answer = new Answer(200, "{\"moduleId\":\"m\"}");

        @Override
        public Answer putModule(Identity caller, String moduleId, String bodyJson) {
            asked.add(new Asked(caller, "PUT", moduleId, bodyJson));
            return answer;
        }

        @Override
        public Answer deleteModule(Identity caller, String moduleId) {
            asked.add(new Asked(caller, "DELETE", moduleId, null));
            return answer;
        }
    }

    final Authenticator authenticator = new Authenticator();
    final Identities identities = new Identities();
    final Telemetry telemetry = new Telemetry();
    final Twins twins = new Twins();
    final CloudToDevice cloudToDevice = new CloudToDevice();
    final Inputs inputs = new Inputs();
    final Connections connections = new Connections();
    final SessionRegistry<MqttSession> sessions = new SessionRegistry<>(connections);
    final Services services = new Services("hub.example", authenticator, new IotHubAcl(), telemetry, twins,
            cloudToDevice, inputs, identities, sessions, new AuthLimiter(3, Duration.ofMinutes(1), Clock.systemUTC()));

    /** @return a connection with a session of these fakes, as the server's pipeline has it */
    EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(MqttSession.NAME, new MqttSession(services, MAX_IDLE));
        return ch;
    }

    /** @return the channel, connected as {@code clientId} (its CONNACK read) */
    EmbeddedChannel connected(String clientId) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(connect(clientId, PASSWORD, 4));
        ch.readOutbound();
        return ch;
    }

    static MqttConnectMessage connect(String clientId, String password, int keepAliveSeconds) {
        return MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1)
                .username("hub.example/" + clientId + "/?api-version=2021-04-12").password(password == null ? null
                        : password.getBytes()).keepAlive(keepAliveSeconds).cleanSession(false).build();
    }

    static MqttMessage subscribe(int id, String... filters) {
        MqttMessageBuilders.SubscribeBuilder b = MqttMessageBuilders.subscribe().messageId(id);
        for (String f : filters) {
            b.addSubscription(MqttQoS.AT_LEAST_ONCE, f);
        }
        return b.build();
    }

    static MqttPublishMessage publish(int id, String topic, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_LEAST_ONCE).messageId(id).retained(false)
                .payload(Unpooled.wrappedBuffer(payload.getBytes())).build();
    }

    /** @return the topics of the PUBLISH packets the channel has sent, in order (the rest is read and dropped) */
    static List<String> publishedTopics(EmbeddedChannel ch) {
        return sent(ch).stream().filter(MqttPublishMessage.class::isInstance).map(m -> ((MqttPublishMessage) m)
                .variableHeader().topicName()).toList();
    }

    /** @return every packet the channel has sent, in order */
    static List<MqttMessage> sent(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<MqttMessage> out = new ArrayList<>();
        for (Object m; (m = ch.readOutbound()) != null;) {
            out.add((MqttMessage) m);
        }
        return out;
    }
}
