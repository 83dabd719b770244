/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TwinLimits;

/**
 * The hub's IoT Hub endpoint over a real embedded database that stops answering: H2's exclusive mode, taken by another
 * connection, holds every statement of the hub's own connections until it is given back, as a half-open link would.
 * More CONNECTs arrive than there are session threads (16).
 */
class DatabaseOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private ModuleStore modules;
    private TwinStore twins;
    private DatabaseGate gate;
    private IotHubServer server;
    private final List<String> telemetry = new CopyOnWriteArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private Connection exclusive;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        modules = new ModuleStore(db, devices, Boxes.BOX);
        twins = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        gate = new DatabaseGate(db, WAIT, Duration.ofMillis(200), System::nanoTime);
        server = IotHubServer.builder(new ServerSettings("test-hub", "127.0.0.1", 0, "hub.example", -1, dir.resolve(
                "none.p12"), "", 256 * 1024, 1000, "etc/test.cfg")).authenticator(GatedSpis.authenticator(gate,
                        new DeviceIdentities(devices, modules))).connections(new DeviceConnections(devices, modules))
                .twins(GatedSpis.twins(gate, new HubTwins(twins))).telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, org.outpost.protocol.TelemetryTopic parsed, byte[] payload) {
                        telemetry.add(identity + " " + new String(payload, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void close() {
                    }
                }).build();
        server.start();
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (exclusive != null) {
            exclusive.close();
        }
        clients.shutdownNow();
        server.close();
        gate.close();
        twins.deactivate();
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    @Test
    void connectsAreRefusedFastWhileTheDatabaseDoesNotAnswerConnectedDevicesGoOnAndAllRecover() throws Exception {
        String calmKey = devices.create("calm");
        String key = devices.create("d1");
        try (Client calm = new Client(server.port())) {
            assertThat(calm.connect("calm", calmKey)).as("CONNACK").isZero();

            stopAnswering();
            List<CompletableFuture<Integer>> refused = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 24; i++) {
                refused.add(CompletableFuture.supplyAsync(() -> connectOnce("d1", key), clients));
            }

            // The connected device is answered meanwhile: its PINGs, its telemetry (no database on that path).
            calm.ping();
            calm.publish("devices/calm/messages/events/", "while the database is away");
            CompletableFuture.allOf(refused.toArray(CompletableFuture[]::new)).get();
            assertThat(refused).allSatisfy(f -> assertThat(f.join()).as("server unavailable").isEqualTo(3));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT.multipliedBy(5));
            assertThat(gate.open()).isFalse();
            assertThat(telemetry).containsExactly("calm while the database is away");
            calm.ping();

            answerAgain();
            await().atMost(Duration.ofSeconds(15)).until(() -> connectOnce("d1", key) == 0);
            calm.ping();
        }
    }

    /** Another connection takes the database for itself: every other connection's statements wait. */
    private void stopAnswering() throws SQLException {
        exclusive = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath(), "", "");
        exclusive.createStatement().execute("SET EXCLUSIVE 1");
    }

    private void answerAgain() throws SQLException {
        exclusive.createStatement().execute("SET EXCLUSIVE 0");
    }

    private int connectOnce(String device, String key) {
        try (Client c = new Client(server.port())) {
            return c.connect(device, key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** MQTT 3.1.1 on a socket, just enough of it: CONNECT, PINGREQ, PUBLISH at QoS 1. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout((int) WAIT.multipliedBy(4).toMillis());
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        /** @return the CONNACK's return code */
        int connect(String device, String key) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(new byte[] {4, (byte) 0xC2, 0, 60});
            string(body, device);
            string(body, "hub.example/" + device + "/?api-version=2021-04-12");
            string(body, SasToken.create("hub.example/devices/" + device, key, Instant.now().plusSeconds(3600)));
            send(0x10, body.toByteArray());
            expect(0x20, 2);
            in.readUnsignedByte();
            return in.readUnsignedByte();
        }

        void ping() throws IOException {
            send(0xC0, new byte[0]);
            expect(0xD0, 0);
        }

        void publish(String topic, String payload) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, topic);
            body.write(new byte[] {0, 7});
            body.write(payload.getBytes(StandardCharsets.UTF_8));
            send(0x32, body.toByteArray());
            expect(0x40, 2);
            assertThat(in.readUnsignedShort()).as("PUBACK's packet id").isEqualTo(7);
        }

        private void expect(int type, int length) throws IOException {
            assertThat(in.readUnsignedByte()).as("packet type").isEqualTo(type);
            assertThat(in.readUnsignedByte()).as("remaining length").isEqualTo(length);
        }

        private void send(int header, byte[] body) throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(header);
            int n = body.length;
            do {
                int b = n % 128;
                n /= 128;
                packet.write(n > 0 ? b | 0x80 : b);
            } while (n > 0);
            packet.write(body);
            out.write(packet.toByteArray());
            out.flush();
        }

        private static void string(ByteArrayOutputStream to, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            to.write(b.length >> 8);
            to.write(b.length & 0xFF);
            to.write(b);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
