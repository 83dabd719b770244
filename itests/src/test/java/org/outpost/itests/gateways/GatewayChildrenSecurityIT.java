/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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
import org.outpost.itests.security.RawMqtt;

/**
 * A gateway's endpoint against children that try what they may not (the issue's "bad input"): a child presenting its
 * sibling's identity, devices that are not below the gateway (and a gateway acting for one), a child disabled,
 * re-keyed, deleted or moved at the hub, a flood of connections, malformed packets. Each is refused with a line in
 * the gateway's log that names it, and the honest children keep working. One hub and one gateway G for the class;
 * the attacks come from raw sockets on G's plain port (loopback). About two and a half minutes.
 */
public class GatewayChildrenSecurityIT {

    private static final String GATEWAY = "guard-gw";
    /** Another gateway, registered at the hub but not below G, with a child of its own. */
    private static final String OTHER = "other-gw";
    private static final String OTHER_LEAF = "other-leaf";
    private static final String A = "child-a";
    private static final String B = "child-b";
    private static final String REVOKED = "child-revoked";
    private static final String MOVED = "child-moved";
    private static final String OUTSIDER = "outsider";
    private static final int CAP_PER_ADDRESS = 20;

    private static Layers layers;
    private static GatewayProcess gateway;
    /** G's plain MQTT port (loopback), where the raw sockets connect. */
    private static int port;
    private static final Map<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeClass
    public static void start() throws Exception {
        layers = Layers.startHub("children-security");
        String key = layers.device(GATEWAY, null, null);
        KEYS.put(OTHER, layers.device(OTHER, null, null));
        KEYS.put(OTHER_LEAF, layers.device(OTHER_LEAF, OTHER, null));
        KEYS.put(OUTSIDER, layers.device(OUTSIDER, null, null));
        for (String child : List.of(A, B, REVOKED, MOVED)) {
            KEYS.put(child, layers.device(child, GATEWAY, null));
        }
        port = GatewayProcess.freePort();
        gateway = layers.topGateway(GATEWAY, key, GatewayProcess.freePort(),
                Map.of("org.outpost.edgehub", Map.of("port", Integer.toString(port), "max.message.kb", "16",
                        "connect.timeout.seconds", "5", "max.connections.per.address",
                        Integer.toString(CAP_PER_ADDRESS),
                        // The attacks fail authentication on purpose; the limiter is not what they test.
                        "auth.max.failures.per.minute", "1000")));
        gateway.start();
        Layers.awaitGateway(gateway, GATEWAY, 1);
        await("G knows its children (A connects)").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> attempt(A, KEYS.get(A)) == 0);
    }

    @AfterClass
    public static void stop() {
        if (layers != null) {
            layers.close();
        }
    }

    @Test
    public void aChildCannotConnectAsItsSibling() throws Exception {
        LogMark mark = LogMark.now(gateway);
        try (RawMqtt a = RawMqtt.open(port)) {
            assertThat(a.connect(B, RawMqtt.deviceUser(B), RawMqtt.deviceToken(B, KEYS.get(A))))
                    .as("B's identity signed with A's key").isNotZero();
        }
        mark.awaitRefusal(B, "B's identity signed with A's key");
        mark = LogMark.now(gateway);
        try (RawMqtt a = RawMqtt.open(port)) {
            // A's own valid token with B's client id: a request on A's behalf, and B is not below A.
            assertThat(a.connect(B, RawMqtt.deviceUser(B), RawMqtt.deviceToken(A, KEYS.get(A))))
                    .as("A's token, B's client id").isNotZero();
        }
        mark.awaitRefusal(B, "A's token with B's client id");
        try (RawMqtt b = connected(B); RawMqtt a = RawMqtt.open(port)) {
            assertThat(a.connect(B, RawMqtt.deviceUser(B), RawMqtt.deviceToken(B, KEYS.get(A)))).isNotZero();
            assertThat(b.ping()).as("B, connected, not knocked off by A presenting B's client id").isTrue();
        }
        mark.assertNoSecret(KEYS.get(A), KEYS.get(B));
    }

    @Test
    public void devicesNotBelowTheGatewayAreRefusedAlsoWhenAnotherGatewayActsForThem() throws Exception {
        LogMark mark = LogMark.now(gateway);
        try (RawMqtt o = RawMqtt.open(port)) {
            assertThat(o.connect(OUTSIDER, RawMqtt.deviceUser(OUTSIDER), RawMqtt.deviceToken(OUTSIDER,
                    KEYS.get(OUTSIDER)))).as("a device of the hub with no parent, with its own valid key").isNotZero();
        }
        mark.awaitRefusal(OUTSIDER, "a device that is not below G");
        mark = LogMark.now(gateway);
        try (RawMqtt o = RawMqtt.open(port)) {
            assertThat(o.connect(OTHER_LEAF, RawMqtt.deviceUser(OTHER_LEAF), RawMqtt.deviceToken(OTHER_LEAF,
                    KEYS.get(OTHER_LEAF)))).as("another gateway's child, with its own valid key").isNotZero();
        }
        mark.awaitRefusal(OTHER_LEAF, "another gateway's child");
        mark = LogMark.now(gateway);
        try (RawMqtt o = RawMqtt.open(port)) {
            assertThat(o.connect(OTHER_LEAF, RawMqtt.deviceUser(OTHER_LEAF), RawMqtt.deviceToken(OTHER,
                    KEYS.get(OTHER)))).as("another gateway acting for its own child (on its behalf) at G")
                    .isNotZero();
        }
        mark.awaitRefusal(OTHER_LEAF, "another gateway acting for its child");
        try (RawMqtt o = RawMqtt.open(port)) {
            assertThat(o.connect(OTHER, RawMqtt.deviceUser(OTHER), RawMqtt.deviceToken(OTHER, KEYS.get(OTHER))))
                    .as("another gateway as itself").isNotZero();
        }
        try (RawMqtt a = connected(A)) {
            assertThat(a.ping()).as("an honest child afterwards").isTrue();
        }
        mark.assertNoSecret(KEYS.get(OTHER), KEYS.get(OTHER_LEAF), KEYS.get(OUTSIDER));
    }

    @Test
    public void aChildDisabledReKeyedDeletedOrMovedAtTheHubIsDisconnectedWithinSecondsAndRefused()
            throws Exception {
        String key = KEYS.get(REVOKED);
        try (RawMqtt r = connected(REVOKED)) {
            LogMark mark = LogMark.now(gateway);
            assertThat(layers.hub.shell("hub:device-disable " + REVOKED)).contains("disabled");
            assertThat(r.closedWithin(Duration.ofSeconds(10))).as("disabled at the hub: its connection to G")
                    .isTrue();
            mark.awaitRefusal(REVOKED, "the disabled child's connection closed");
        }
        assertThat(attempt(REVOKED, key)).as("disabled, with its valid key").isNotZero();

        layers.hub.shell("hub:device-enable " + REVOKED);
        await("enabled again, it connects").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> attempt(REVOKED, key) == 0);

        String rekeyed;
        try (RawMqtt r = connected(REVOKED)) {
            rekeyed = key(layers.hub.shell("hub:device-create --rotate --json " + REVOKED));
            assertThat(r.closedWithin(Duration.ofSeconds(10))).as("re-keyed at the hub: its connection to G")
                    .isTrue();
        }
        assertThat(attempt(REVOKED, key)).as("the old key after re-keying").isNotZero();
        await("the new key works at G").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> attempt(REVOKED, rekeyed) == 0);

        try (RawMqtt r = RawMqtt.open(port)) {
            assertThat(r.connect(REVOKED, RawMqtt.deviceUser(REVOKED), RawMqtt.deviceToken(REVOKED, rekeyed)))
                    .isZero();
            LogMark mark = LogMark.now(gateway);
            assertThat(layers.hub.shell("hub:device-delete " + REVOKED)).contains("deleted");
            assertThat(r.closedWithin(Duration.ofSeconds(10))).as("deleted at the hub: its connection to G")
                    .isTrue();
            mark.awaitRefusal(REVOKED, "the deleted child's connection closed");
        }
        assertThat(attempt(REVOKED, rekeyed)).as("deleted, with its last key").isNotZero();

        try (RawMqtt m = connected(MOVED)) {
            assertThat(layers.hub.shell("hub:device-update --parent " + OTHER + " " + MOVED)).contains(MOVED);
            assertThat(m.closedWithin(Duration.ofSeconds(10))).as("moved below another gateway: its connection")
                    .isTrue();
        }
        assertThat(attempt(MOVED, KEYS.get(MOVED))).as("moved below another gateway, at G").isNotZero();
        try (RawMqtt a = connected(A)) {
            assertThat(a.ping()).as("an honest child afterwards").isTrue();
        }
    }

    @Test
    public void aFloodOfConnectionsIsBoundedWhileALegitimateChildKeepsWorking() throws Exception {
        List<RawMqtt> flood = new ArrayList<>();
        try (RawMqtt legit = RawMqtt.open(port, "127.0.0.2")) {
            assertThat(legit.connect(B, RawMqtt.deviceUser(B), RawMqtt.deviceToken(B, KEYS.get(B)))).isZero();
            LogMark mark = LogMark.now(gateway);
            for (int i = 0; i < CAP_PER_ADDRESS + 10; i++) {
                flood.add(RawMqtt.open(port));
            }
            await("the connections over the cap closed").atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(100)).until(() -> closedNow(flood), n -> n >= 10);
            mark.awaitAny("the flood over the cap", "refusing connections from");
            assertThat(legit.publishAcknowledged("devices/" + B + "/messages/events/marker=during-flood", 1,
                    "{\"flood\": true}".getBytes(StandardCharsets.UTF_8))).as("the legitimate child's message"
                            + " during the flood, acknowledged by G").isTrue();
            assertThat(legit.ping()).as("the legitimate child during the flood").isTrue();
            try (RawMqtt other = RawMqtt.open(port, "127.0.0.3")) {
                assertThat(other.connect(A, RawMqtt.deviceUser(A), RawMqtt.deviceToken(A, KEYS.get(A))))
                        .as("a child from another address, not held back by this one's flood").isZero();
            }
            // A flood of CONNECTs with wrong credentials: each refused, the legitimate child unaffected.
            for (int i = 0; i < 30; i++) {
                try (RawMqtt wrong = RawMqtt.open(port, "127.0.0.4")) {
                    assertThat(wrong.connect(A, RawMqtt.deviceUser(A), RawMqtt.deviceToken(A, KEYS.get(B))))
                            .isNotZero();
                }
            }
            await("every connection without CONNECT closed after the connect timeout").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200)).until(() -> closedNow(flood), n -> n == flood.size());
            assertThat(legit.ping()).as("the legitimate child after the flood").isTrue();
        } finally {
            for (RawMqtt s : flood) {
                s.close();
            }
        }
        await("the legitimate child's message at the hub, as B's").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> layers.hub.shell("hub:telemetry -d " + B),
                        out -> out.contains("during-flood"));
    }

    @Test
    public void malformedPacketsAndForeignTopicsCloseOnlyTheirOwnConnection() throws Exception {
        try (RawMqtt honest = connected(A)) {
            LogMark mark = LogMark.now(gateway);
            try (RawMqtt garbage = RawMqtt.open(port)) {
                garbage.raw("GET / HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(garbage.closedWithin(Duration.ofSeconds(5))).as("an HTTP request on the MQTT port")
                        .isTrue();
            }
            try (RawMqtt malformed = RawMqtt.open(port)) {
                // A remaining length of five bytes, which MQTT does not allow.
                malformed.raw(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
                assertThat(malformed.closedWithin(Duration.ofSeconds(5))).as("a malformed length").isTrue();
            }
            mark.awaitAny("the malformed packets", "malformed", "invalid", "decod", "protocol", "not mqtt");
            try (RawMqtt twice = connected(B)) {
                twice.connect(B, RawMqtt.deviceUser(B), RawMqtt.deviceToken(B, KEYS.get(B)));
                assertThat(twice.closedWithin(Duration.ofSeconds(5))).as("a second CONNECT").isTrue();
            }
            mark = LogMark.now(gateway);
            try (RawMqtt big = connected(B)) {
                big.publish("devices/" + B + "/messages/events/marker=oversized", 1, new byte[20 * 1024]);
                assertThat(big.closedWithin(Duration.ofSeconds(5))).as("20 KB over a 16 KB limit").isTrue();
            }
            mark.awaitRefusal(B, "the oversized message");
            mark = LogMark.now(gateway);
            try (RawMqtt b = connected(B)) {
                // Dropped (with a PUBACK, as the endpoint does for modules) or the connection closed: never A's.
                b.publishAcknowledged("devices/" + A + "/messages/events/marker=forged", 2,
                        "{\"forged\": true}".getBytes(StandardCharsets.UTF_8));
            }
            mark.awaitRefusal(B, "B publishing under A's topic");
            try (RawMqtt b = connected(B)) {
                assertThat(b.subscribe("devices/" + A + "/messages/devicebound/#", 3))
                        .as("B subscribing to A's cloud-to-device messages (0x80 refused, -1 closed)")
                        .isIn(0x80, -1);
            }
            assertThat(honest.ping()).as("the honest child's connection through all of it").isTrue();
        }
        assertThat(layers.hub.shell("hub:telemetry -n 200")).doesNotContain("oversized", "forged");
    }

    /** @return the CONNACK code of one attempt with the device's identity and a token signed with {@code key} */
    private static int attempt(String device, String key) throws Exception {
        try (RawMqtt c = RawMqtt.open(port)) {
            return c.connect(device, RawMqtt.deviceUser(device), RawMqtt.deviceToken(device, key));
        }
    }

    private static RawMqtt connected(String device) throws Exception {
        RawMqtt c = RawMqtt.open(port);
        int code = c.connect(device, RawMqtt.deviceUser(device), RawMqtt.deviceToken(device, KEYS.get(device)));
        if (code != 0) {
            c.close();
            throw new AssertionError(device + " (a child of " + GATEWAY + ") was refused by G with CONNACK code "
                    + code);
        }
        return c;
    }

    private static long closedNow(List<RawMqtt> connections) throws java.io.IOException {
        long closed = 0;
        for (RawMqtt c : connections) {
            closed += c.closedWithin(Duration.ofMillis(2)) ? 1 : 0;
        }
        return closed;
    }

    private static String key(String json) {
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as("a key in " + json).isTrue();
        return m.group(1);
    }
}
