/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.outpost.itests.GatewayProcess;

/**
 * The hub's IoT Hub endpoint against an attacker who can open TCP connections to it (the {@code security} group:
 * {@code mvn verify -pl itests -Dit.test='security/*IT'}). One real hub distribution for the class; every attack
 * comes from raw sockets, and after each the hub still serves an honest device.
 */
public class HubSecurityIT {

    private static final int CAP_PER_ADDRESS = 20;

    private static GatewayProcess hub;
    private static int port;
    /** The hub's own broker's MQTT port (IoT Hub's "1884"). */
    private static int brokerPort;
    private static String keyA;
    private static String keyB;

    @BeforeClass
    public static void startHub() throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "security-hub"));
        port = GatewayProcess.freePort();
        brokerPort = GatewayProcess.freePort();
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(brokerPort)));
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(port), "tls.port", "-1",
                "max.message.kb", "16", "connect.timeout.seconds", "5",
                "max.connections.per.address", Integer.toString(CAP_PER_ADDRESS),
                // The attacks below fail authentication on purpose; the limiter is not what they test.
                "auth.max.failures.per.minute", "1000"));
        hub.start();
        keyA = await("the hub's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> create("sec-a"), k -> true);
        keyB = create("sec-b");
    }

    @AfterClass
    public static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    public void aDeviceCannotConnectAsAnotherDevice() throws Exception {
        // B's key, signing A's identity.
        try (RawMqtt b = RawMqtt.open(port)) {
            assertThat(b.connect("sec-a", RawMqtt.deviceUser("sec-a"), RawMqtt.deviceToken("sec-a", keyB)))
                    .as("A's identity with B's key").isEqualTo(5);
        }
        // B's own token, presented for A.
        try (RawMqtt b = RawMqtt.open(port)) {
            assertThat(b.connect("sec-a", RawMqtt.deviceUser("sec-a"), RawMqtt.deviceToken("sec-b", keyB)))
                    .as("B's token for A's user name").isIn(4, 5);
        }
        assertHonestDeviceServed();
    }

    @Test
    public void aClientIdThatIsNotTheAuthenticatedDeviceIsRefused() throws Exception {
        try (RawMqtt a = RawMqtt.open(port)) {
            assertThat(a.connect("sec-b", RawMqtt.deviceUser("sec-a"), RawMqtt.deviceToken("sec-a", keyA)))
                    .as("A's credentials with B's client id").isNotZero();
        }
        // B, connected, is not knocked off by anyone presenting B's client id with other credentials.
        try (RawMqtt b = RawMqtt.open(port); RawMqtt a = RawMqtt.open(port)) {
            assertThat(b.connect("sec-b", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b", keyB))).isZero();
            assertThat(a.connect("sec-b", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b", keyA)))
                    .isNotZero();
            assertThat(b.ping()).as("B still connected").isTrue();
        }
    }

    @Test
    public void garbageAndMalformedPacketsCloseOnlyTheirOwnConnection() throws Exception {
        try (RawMqtt honest = connectedA()) {
            try (RawMqtt garbage = RawMqtt.open(port)) {
                garbage.raw("GET / HTTP/1.1\r\nHost: hub\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(garbage.closedWithin(Duration.ofSeconds(5))).as("an HTTP request on the MQTT port").isTrue();
            }
            try (RawMqtt malformed = RawMqtt.open(port)) {
                // A remaining length of five bytes, which MQTT does not allow.
                malformed.raw(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
                assertThat(malformed.closedWithin(Duration.ofSeconds(5))).as("a malformed length").isTrue();
            }
            try (RawMqtt twice = connectedB()) {
                // A second CONNECT on a connected session is a protocol violation.
                twice.connect("sec-b", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b", keyB));
                assertThat(twice.closedWithin(Duration.ofSeconds(5))).as("a second CONNECT").isTrue();
            }
            assertThat(honest.ping()).as("the honest device's connection").isTrue();
        }
    }

    @Test
    public void aPacketOverTheSizeLimitClosesTheConnectionBeforeItIsStored() throws Exception {
        try (RawMqtt honest = connectedA(); RawMqtt big = connectedB()) {
            big.publish("devices/sec-b/messages/events/marker=oversized", 1, new byte[20 * 1024]);
            assertThat(big.closedWithin(Duration.ofSeconds(5))).as("20 KB over a 16 KB limit").isTrue();
            assertThat(honest.ping()).isTrue();
        }
        assertThat(hub.shell("hub:telemetry -d sec-b")).doesNotContain("oversized");
    }

    @Test
    public void aFloodOfHalfOpenConnectionsIsBoundedAndExpires() throws Exception {
        List<RawMqtt> flood = new ArrayList<>();
        try {
            for (int i = 0; i < CAP_PER_ADDRESS + 10; i++) {
                flood.add(RawMqtt.open(port));
            }
            // The server closes those over the cap before reading anything, and holds the others open until their
            // connect timeout (5 s): for a while exactly the cap's number stay open. (Which ones is the server's
            // order of accepting, not the order the sockets were opened in.)
            await("the connections over the cap closed").atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(100)).until(() -> closedNow(flood), n -> n == 10);
            assertThat(closedNow(flood)).as("connections closed before their connect timeout").isEqualTo(10);
            // Another address is not held back by this one's flood.
            try (RawMqtt other = RawMqtt.open(port, "127.0.0.2")) {
                assertThat(other.connect("sec-b", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b", keyB)))
                        .isZero();
            }
            await("every connection without CONNECT closed after 5 s").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200)).until(() -> closedNow(flood), n -> n == flood.size());
        } finally {
            for (RawMqtt s : flood) {
                s.close();
            }
        }
        await("room again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    try (RawMqtt a = connectedA()) {
                        return a.ping();
                    }
                });
    }

    /** @return how many of these connections the server has closed */
    private static long closedNow(List<RawMqtt> connections) throws java.io.IOException {
        long closed = 0;
        for (RawMqtt c : connections) {
            closed += c.closedWithin(Duration.ofMillis(2)) ? 1 : 0;
        }
        return closed;
    }

    @Test
    public void aDisabledDeviceIsDisconnectedWithinASecondOnEveryListenerAndRefusedUntilEnabled() throws Exception {
        String key = create("sec-revoked");
        try (RawMqtt endpoint = connected("sec-revoked", key); RawMqtt broker = RawMqtt.open(brokerPort)) {
            assertThat(broker.connect("sec-revoked", RawMqtt.deviceUser("sec-revoked"), RawMqtt.deviceToken(
                    "sec-revoked", key))).as("the device on the hub's broker").isZero();
            hub.shell("hub:device-disable sec-revoked");
            // The command returns after the change; both connections are gone within a second of it.
            assertThat(endpoint.closedWithin(Duration.ofSeconds(1))).as("on the IoT Hub endpoint").isTrue();
            assertThat(broker.closedWithin(Duration.ofSeconds(1))).as("on the broker's MQTT port").isTrue();
        }
        try (RawMqtt again = RawMqtt.open(port)) {
            assertThat(again.connect("sec-revoked", RawMqtt.deviceUser("sec-revoked"), RawMqtt.deviceToken(
                    "sec-revoked", key))).as("disabled, with its valid key").isNotZero();
        }
        hub.shell("hub:device-enable sec-revoked");
        try (RawMqtt back = connected("sec-revoked", key)) {
            assertThat(back.ping()).isTrue();
        }
    }

    @Test
    public void aDeviceCannotTakeTheHubsIngestionClientIdOrAnotherDevicesOnTheBroker() throws Exception {
        try (RawMqtt b = RawMqtt.open(brokerPort)) {
            assertThat(b.connect("outpost-hub-ingest", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b",
                    keyB))).as("B's credentials, the hub's ingestion client id").isNotZero();
        }
        try (RawMqtt a = RawMqtt.open(brokerPort); RawMqtt b = RawMqtt.open(brokerPort)) {
            assertThat(a.connect("sec-a", RawMqtt.deviceUser("sec-a"), RawMqtt.deviceToken("sec-a", keyA))).isZero();
            assertThat(b.connect("sec-a", RawMqtt.deviceUser("sec-b"), RawMqtt.deviceToken("sec-b", keyB)))
                    .as("B's credentials, A's client id").isNotZero();
            assertThat(a.ping()).as("A still connected").isTrue();
        }
        // The hub's ingestion still runs: a device's telemetry reaches it.
        try (RawMqtt a = connectedA()) {
            a.publish("devices/sec-a/messages/events/marker=after-takeover", 7, "{\"n\": 1}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            await("A's telemetry at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hub.shell("hub:telemetry -d sec-a"), out -> out.contains("after-takeover"));
        }
    }

    @Test
    public void wrongApiTokensFromOneAddressLockOutNeitherTheRightTokenNorAnotherAddress() throws Exception {
        Path tokenFile = hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        String token = Files.readString(tokenFile).strip();
        int http = hub.httpPort();
        for (int i = 0; i < 12; i++) {
            RawHttp.get(http, "127.0.0.2", "/api/devices", "wrong-token-" + i);
        }
        assertThat(RawHttp.get(http, "127.0.0.2", "/api/devices", "wrong-again")).as("a further wrong token there")
                .isEqualTo(429);
        assertThat(RawHttp.get(http, "127.0.0.2", "/api/devices", token)).as("the right token from that address")
                .isEqualTo(200);
        assertThat(RawHttp.get(http, "127.0.0.1", "/api/devices", "wrong-once")).as("a wrong token elsewhere")
                .isEqualTo(401);
        assertThat(RawHttp.get(http, "127.0.0.1", "/api/devices", token)).isEqualTo(200);
    }

    private static void assertHonestDeviceServed() throws Exception {
        try (RawMqtt a = connectedA()) {
            assertThat(a.ping()).isTrue();
        }
    }

    private static RawMqtt connectedA() throws Exception {
        return connected("sec-a", keyA);
    }

    private static RawMqtt connectedB() throws Exception {
        return connected("sec-b", keyB);
    }

    private static RawMqtt connected(String device, String key) throws Exception {
        RawMqtt c = RawMqtt.open(port);
        int code = c.connect(device, RawMqtt.deviceUser(device), RawMqtt.deviceToken(device, key));
        if (code != 0) {
            c.close();
            throw new AssertionError(device + " was refused with CONNACK code " + code);
        }
        return c;
    }

    private static String create(String device) throws Exception {
        String created = hub.shell("hub:device-create --json " + device);
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!key.find()) {
            throw new IllegalStateException("hub:device-create printed no key: " + created);
        }
        return key.group(1);
    }
}
