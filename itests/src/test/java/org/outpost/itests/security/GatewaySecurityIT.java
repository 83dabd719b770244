/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpServer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.outpost.itests.GatewayProcess;
import org.outpost.protocol.SasToken;

/**
 * The gateway against a rogue module and a deployment from a stolen API token (the {@code security} group). One real
 * gateway distribution for the class, with no hub: what is checked here the gateway decides on its own.
 */
public class GatewaySecurityIT {

    private static final String DEVICE = "outpost-gateway";
    private static final String VIEWER = "reader";
    private static final String VIEWER_PASSWORD = "reader-secret-" + System.nanoTime();

    private static GatewayProcess gateway;
    private static Path base;
    private static int edgeHubPort;
    private static SSLContext trustingGateway;

    @BeforeClass
    public static void startGateway() throws Exception {
        base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                Files.createTempDirectory(base, "security-gateway"));
        edgeHubPort = GatewayProcess.freePort();
        gateway.config("org.outpost.runtime", Map.of("device.id", DEVICE));
        gateway.config("org.outpost.edgehub", Map.of("tls.port", Integer.toString(edgeHubPort)));
        gateway.config("org.outpost.deployment", Map.of("process.modules.enabled", "true"));
        // The disk is checked five times a second, so that a test can fill it (max.disk.usage) and see at once.
        gateway.config("org.outpost.broker", Map.of("disk.scan.period.ms", "200"));
        // What secD sends goes upstream (and waits there: this gateway has no hub); nothing else does, so that the
        // upstream queue counts secD's messages only (the distribution's samples send all the time).
        gateway.routes(Map.of("up", "FROM /messages/modules/secD/* INTO $upstream"));
        // A user who may only look (Karaf's viewer role), beside the operator (admin).
        Files.writeString(gateway.home().resolve("etc/users.properties"), "\n" + VIEWER + " = " + VIEWER_PASSWORD
                + ",viewer,ssh\n", java.nio.file.StandardOpenOption.APPEND);
        gateway.start();
        String ca = await("the gateway's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> gateway.shell("edge:ca"), out -> out.contains("END CERTIFICATE"));
        trustingGateway = trusting(ca);
    }

    @AfterClass
    public static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void aMavenLocationNamingItsOwnRepositoryIsRefusedBeforeAnythingIsFetched() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer repository = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        repository.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        repository.start();
        try {
            String before = modules();
            String location = "mvn:http://127.0.0.1:" + repository.getAddress().getPort()
                    + "/repo!org.outpost/evil/1.0.0";
            Path manifest = base.resolve("evil-" + System.nanoTime() + ".json");
            Files.writeString(manifest, manifest("\"evil\": {\"type\": \"bundle\", \"status\": \"running\","
                    + " \"restartPolicy\": \"always\", \"settings\": {\"location\": \"" + location + "\"}}"));
            assertThat(refused("edge:deploy " + manifest)).contains("400",
                    "modulesContent.$edgeAgent.properties.desired.modules.evil.settings.location",
                    "etc/org.ops4j.pax.url.mvn.cfg");
            assertThat(requests).as("requests that reached the attacker's repository").hasValue(0);
            assertThat(modules()).as("the modules, as they were").isEqualTo(before).doesNotContain("evil");
        } finally {
            repository.stop(0);
        }
    }

    @Test
    public void aModuleCannotConnectAsAnotherModule() throws Exception {
        Path manifest = base.resolve("two-modules-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(sleeper("secA") + ", " + sleeper("secB")));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        String keyA = key(gateway.shell("edge:module-connection-string secA"));
        String keyB = key(gateway.shell("edge:module-connection-string secB"));

        // A's key, signing B's identity; A's token presented for B; A's credentials with B's client id.
        try (RawMqtt a = tls()) {
            assertThat(a.connect(DEVICE + "/secB", user("secB"), token("secB", keyA))).isEqualTo(5);
        }
        try (RawMqtt a = tls()) {
            assertThat(a.connect(DEVICE + "/secB", user("secB"), token("secA", keyA))).isIn(4, 5);
        }
        try (RawMqtt a = tls()) {
            assertThat(a.connect(DEVICE + "/secB", user("secA"), token("secA", keyA))).isNotZero();
        }
        // B, connected, is not knocked off by A presenting B's client id.
        try (RawMqtt b = tls(); RawMqtt a = tls()) {
            assertThat(b.connect(DEVICE + "/secB", user("secB"), token("secB", keyB))).isZero();
            assertThat(a.connect(DEVICE + "/secB", user("secB"), token("secB", keyA))).isNotZero();
            assertThat(b.ping()).as("B still connected").isTrue();
        }
    }

    /** @return the modules {@code edge:list} shows, with their kind and state (the first columns) */
    private static String modules() throws Exception {
        StringBuilder modules = new StringBuilder();
        for (String line : gateway.shell("edge:list").split("\\R")) {
            String[] columns = line.split("\\|");
            if (columns.length > 3) {
                modules.append(columns[0].trim()).append(' ').append(columns[1].trim()).append(' ')
                        .append(columns[3].trim()).append('\n');
            }
        }
        return modules.toString();
    }

    /** @return the error of a shell command that must fail */
    private static String refused(String command) throws Exception {
        try {
            String out = gateway.shell(command);
            throw new AssertionError("'" + command + "' was expected to fail, and printed: " + out);
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }

    @Test
    public void aModuleRemovedFromTheDeploymentIsDisconnectedAtOnceAndItsKeyNoLongerWorks() throws Exception {
        Path manifest = base.resolve("revoked-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(sleeper("secR") + ", " + sleeper("secS")));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        String keyR = key(gateway.shell("edge:module-connection-string secR"));
        try (RawMqtt r = tls()) {
            assertThat(r.connect(DEVICE + "/secR", user("secR"), token("secR", keyR))).isZero();
            Files.writeString(manifest, manifest(sleeper("secS")));
            assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
            assertThat(r.closedWithin(Duration.ofSeconds(1))).as("secR's connection, after the deployment").isTrue();
        }
        try (RawMqtt r = tls()) {
            assertThat(r.connect(DEVICE + "/secR", user("secR"), token("secR", keyR))).isNotZero();
        }
    }

    @Test
    public void aFullDiskRefusesSendsWithAClearErrorLosesNothingAcknowledgedAndRecovers() throws Exception {
        Path manifest = base.resolve("disk-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(sleeper("secD")));
        assertThat(gateway.shell("edge:deploy " + manifest)).contains("200");
        String key = key(gateway.shell("edge:module-connection-string secD"));
        long queued = queued();
        try (RawMqtt d = tls()) {
            assertThat(d.connect(DEVICE + "/secD", user("secD"), token("secD", key))).isZero();
            for (int i = 1; i <= 5; i++) {
                assertThat(d.publishAcknowledged(output("before-" + i), i, body(i))).as("before, message " + i)
                        .isTrue();
            }
        }
        await("the five acknowledged messages upstream").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> queued() == queued + 5);
        try {
            // Artemis measures the disk as 1 - usable/total: 1% is always over.
            gateway.shell("config:property-set -p org.outpost.broker max.disk.usage 1");
            gateway.awaitLog("disk full: ", Duration.ofSeconds(30));
            assertThat(gateway.shell("edge:check --json")).as("edge:check says why").containsPattern(
                    "\"check\"\\s*:\\s*\"broker storage\"\\s*,\\s*\"result\"\\s*:\\s*\"critical\"")
                    .contains("disk full");
            try (RawMqtt d = tls()) {
                assertThat(d.connect(DEVICE + "/secD", user("secD"), token("secD", key))).isZero();
                assertThat(d.publishAcknowledged(output("while-full"), 6, body(6)))
                        .as("a message sent while the disk is full is not acknowledged").isFalse();
            }
            gateway.awaitLog("Could not take", Duration.ofSeconds(10));
        } finally {
            gateway.shell("config:property-set -p org.outpost.broker max.disk.usage 90");
        }
        gateway.awaitLog("disk space returned", Duration.ofSeconds(30));
        try (RawMqtt d = tls()) {
            assertThat(d.connect(DEVICE + "/secD", user("secD"), token("secD", key))).isZero();
            for (int i = 7; i <= 9; i++) {
                assertThat(d.publishAcknowledged(output("after-" + i), i, body(i))).as("after, message " + i)
                        .isTrue();
            }
        }
        // Nothing acknowledged was lost: the five from before and the three from after, not the refused one.
        await("every acknowledged message upstream").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200)).until(() -> queued() == queued + 8);
    }

    @Test
    public void aUserWithTheViewerRoleMayLookButNotChangeAnything() throws Exception {
        assertThat(asViewer("edge:list")).as("edge:list as a viewer").contains("temperature-filter");
        assertThat(asViewer("edge:upstream")).contains("Queued");
        Path manifest = base.resolve("viewer-" + System.nanoTime() + ".json");
        Files.writeString(manifest, manifest(sleeper("secV")));
        String deploy = asViewer("edge:deploy " + manifest);
        assertThat(deploy).as("edge:deploy as a viewer").doesNotContain("200").containsAnyOf("Insufficient",
                "not found", "not allowed");
        assertThat(asViewer("config:property-set -p org.outpost.deployment process.modules.enabled false"))
                .containsAnyOf("Insufficient", "not found", "not allowed");
        assertThat(modules()).doesNotContain("secV");
    }

    /** @return what a command printed (its errors too) run by the viewer through Karaf's client */
    private static String asViewer(String command) throws Exception {
        Process p = new ProcessBuilder(gateway.home().resolve("bin/client").toString(), "-u", VIEWER, "-p",
                VIEWER_PASSWORD, "-r", "30", "-d", "1", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** @return the messages waiting for the cloud ({@code edge:upstream --json}'s "queued") */
    private static long queued() throws Exception {
        Matcher m = Pattern.compile("\"queued\"\\s*:\\s*(\\d+)").matcher(gateway.shell("edge:upstream --json"));
        assertThat(m.find()).as("edge:upstream --json names what is queued").isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String output(String marker) {
        return "devices/" + DEVICE + "/modules/secD/messages/events/%24.on=out1&marker=" + marker;
    }

    private static byte[] body(int n) {
        return ("{\"n\": " + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static RawMqtt tls() throws Exception {
        return RawMqtt.openTls(edgeHubPort, trustingGateway);
    }

    private static String user(String module) {
        return RawMqtt.HUB + "/" + DEVICE + "/" + module + "/?api-version=2021-04-12";
    }

    private static String token(String module, String key) {
        return SasToken.create(RawMqtt.HUB + "/devices/" + DEVICE + "/modules/" + module, key,
                Instant.now().plus(Duration.ofHours(1)));
    }

    private static String key(String connectionString) {
        Matcher m = Pattern.compile("SharedAccessKey=([A-Za-z0-9+/=]+)").matcher(connectionString);
        assertThat(m.find()).as("a connection string: " + connectionString).isTrue();
        return m.group(1);
    }

    private static String sleeper(String name) {
        return "\"" + name + "\": {\"type\": \"container\", \"status\": \"running\", \"restartPolicy\": \"always\","
                + " \"settings\": {\"command\": [\"/bin/sh\", \"-c\", \"exec sleep 3600\"]}}";
    }

    private static String manifest(String modules) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {" + modules + "}}}}}";
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("gateway-ca", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
