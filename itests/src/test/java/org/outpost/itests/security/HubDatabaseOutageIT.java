/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;
import org.outpost.itests.GatewayProcess;
import org.outpost.testing.postgres.PostgresServer;

/**
 * The hub's database cut off and back (the {@code security} group): the real hub distribution on a real PostgreSQL,
 * reached through a proxy the test pauses, so that the database stops answering without closing a connection (a
 * half-open link, the worst case). The hub degrades (new devices are refused at once with "server unavailable",
 * connected ones keep their connection) and recovers by itself when the database answers again.
 */
public class HubDatabaseOutageIT {

    private PostgresServer postgres;
    private PausingProxy proxy;
    private GatewayProcess hub;

    @After
    public void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    public void theHubDegradesWhileItsDatabaseDoesNotAnswerAndRecoversWhenItDoes() throws Exception {
        postgres = PostgresServer.start(GatewayProcess.freePort(), false);
        int database = postgres.port();
        proxy = new PausingProxy(database);
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "outage-hub"));
        int port = GatewayProcess.freePort();
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(port), "tls.port", "-1",
                "database.wait.seconds", "3"));
        hub.config("org.outpost.hub.storage", Map.of("url", postgres.url().replace(":" + database + "/", ":"
                + proxy.port() + "/"), "user", PostgresServer.USER, "password", PostgresServer.PASSWORD,
                "statement.timeout.seconds", "5", "socket.timeout.seconds", "10"));
        hub.start();
        String keyA = await("the hub's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> create("outage-a"), k -> true);
        String keyB = create("outage-b");

        try (RawMqtt a = RawMqtt.open(port)) {
            assertThat(a.connect("outage-a", RawMqtt.deviceUser("outage-a"), RawMqtt.deviceToken("outage-a", keyA)))
                    .isZero();

            proxy.pause();
            // A new device is refused with "server unavailable" (3) after at most the wait, not left hanging.
            long t0 = System.nanoTime();
            try (RawMqtt b = RawMqtt.open(port)) {
                assertThat(b.connect("outage-b", RawMqtt.deviceUser("outage-b"), RawMqtt.deviceToken("outage-b",
                        keyB))).as("a CONNECT while the database does not answer").isEqualTo(3);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(9));
            // Once the hub knows, the next are refused at once.
            t0 = System.nanoTime();
            try (RawMqtt b = RawMqtt.open(port)) {
                assertThat(b.connect("outage-b", RawMqtt.deviceUser("outage-b"), RawMqtt.deviceToken("outage-b",
                        keyB))).isEqualTo(3);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            // The device already connected keeps its connection.
            assertThat(a.ping()).as("the connected device, while the database is away").isTrue();

            proxy.resume();
            await("new devices taken again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try (RawMqtt b = RawMqtt.open(port)) {
                            return b.connect("outage-b", RawMqtt.deviceUser("outage-b"), RawMqtt.deviceToken(
                                    "outage-b", keyB)) == 0;
                        }
                    });
            assertThat(a.ping()).isTrue();
        }
        assertThat(hub.shell("hub:devices")).contains("outage-a", "outage-b");
    }

    private String create(String device) throws Exception {
        String created = hub.shell("hub:device-create --json " + device);
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!key.find()) {
            throw new IllegalStateException("hub:device-create printed no key: " + created);
        }
        return key.group(1);
    }
}
