/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.ServerSettings.ConnectionLimits;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.protocol.TwinDocument;

/** The server's connection limits on a real socket, against raw clients that misbehave. */
class IotHubServerLimitsTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final int INPUT_BYTES = 250 * 1024;

    @TempDir
    Path dir;

    private final List<String> connections = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** An endless queue of large input messages for every module. */
    private final InputSource inputs = new InputSource() {
        private final byte[] body = new byte[INPUT_BYTES];

        @Override
        public List<InputMessage> waiting(Identity module, long afterSeq, int max) {
            return LongStream.rangeClosed(afterSeq + 1, afterSeq + max).mapToObj(seq -> new InputMessage(seq, "in1",
                    Map.of(), body)).toList();
        }

        @Override
        public void delivered(Identity module, InputMessage message) {
        }

        @Override
        public Subscription onMessage(Identity module, Runnable arrived) {
            return () -> {
            };
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** @return limits with the defaults' water marks and 100 connections in all */
    private static ConnectionLimits limits(Duration connectTimeout, Duration maxIdle, Duration unwritableTimeout,
            int perAddress) {
        return new ConnectionLimits(connectTimeout, maxIdle, unwritableTimeout, perAddress, 100, 32 * 1024,
                128 * 1024);
    }

    private IotHubServer start(ConnectionLimits limits) throws Exception {
        ServerSettings settings = new ServerSettings("test-iothub", "127.0.0.1", 0, "hub.example", -1, dir.resolve(
                "none.p12"), "", 256 * 1024 + 1024, 10, "etc/test.cfg").withLimits(limits);
        IotHubServer server = IotHubServer.builder(settings).authenticator((claimed, c) -> Authentication.accepted(
                claimed)).telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, TelemetryTopic t, byte[] payload) {
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
                    public Subscription onDesiredPatch(DesiredPatchListener listener) {
                        return () -> {
                        };
                    }
                }).inputs(inputs).connections(new ConnectionListener() {
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

    /** @return a socket to the server that reads only when told, with a small receive buffer */
    private Socket socket(IotHubServer server) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        s.setSoTimeout(20_000);
        open.add(s);
        return s;
    }

    private static void send(Socket s, MqttMessage... packets) throws Exception {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        OutputStream out = s.getOutputStream();
        for (MqttMessage p : packets) {
            encoder.writeOutbound(p);
            ByteBuf bytes = encoder.readOutbound();
            byte[] b = new byte[bytes.readableBytes()];
            bytes.readBytes(b);
            bytes.release();
            out.write(b);
        }
        out.flush();
    }

    private static MqttMessage connect(String clientId, int keepAlive) {
        return MqttMessageBuilders.connect().clientId(clientId).protocolVersion(MqttVersion.MQTT_3_1_1).username(
                "hub.example/" + clientId + "/?api-version=2021-04-12").password("key".getBytes()).keepAlive(
                        keepAlive).build();
    }

    /** @return how many bytes the server sent until it closed the connection (blocks until it does) */
    private static long readUntilClosed(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0;) {
            total += n;
        }
        return total;
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        IotHubServer server = start(limits(Duration.ofMillis(500), LONG, LONG, 10));
        Socket silent = socket(server);

        assertThat(readUntilClosed(silent)).isZero();
    }

    @Test
    void aClientWithKeepAliveZeroIsClosedAfterTheServersLongestSilence() throws Exception {
        IotHubServer server = start(limits(LONG, Duration.ofSeconds(1), LONG, 10));
        Socket s = socket(server);

        send(s, connect("d1", 0));

        assertThat(readUntilClosed(s)).as("its CONNACK only").isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.equals(List.of("+d1", "-d1")));
    }

    @Test
    void connectionsOverTheCapPerAddressAreClosedBeforeTheyAreReadAndAClosedOneMakesRoom() throws Exception {
        IotHubServer server = start(limits(LONG, LONG, LONG, 2));
        Socket first = socket(server);
        send(first, connect("d1", 60));
        Socket second = socket(server);
        send(second, connect("d2", 60));
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.size() == 2);

        Socket third = socket(server);
        assertThat(readUntilClosed(third)).as("closed at once").isZero();
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.contains("-d1"));

        Socket fourth = socket(server);
        send(fourth, connect("d4", 60));
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.contains("+d4"));
    }

    @Test
    void aModuleThatSubscribesToItsInputsAndNeverReadsIsClosedAfterTheUnwritableTimeout() throws Exception {
        IotHubServer server = start(limits(LONG, LONG, Duration.ofSeconds(1), 10));
        Socket s = socket(server);

        send(s, connect("d1/m1", 60), MqttMessageBuilders.subscribe().messageId(1).addSubscription(
                MqttQoS.AT_LEAST_ONCE, "devices/d1/modules/m1/inputs/#").build());
        await().atMost(Duration.ofSeconds(20)).until(() -> connections.contains("-d1/m1"));

        assertThat(readUntilClosed(s)).as("what fitted in the sockets' buffers, then the end").isPositive();
    }
}
