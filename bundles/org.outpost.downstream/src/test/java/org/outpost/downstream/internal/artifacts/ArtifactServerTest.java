/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ops4j.pax.url.mvn.MavenResolver;
import org.ops4j.pax.url.mvn.MavenResolvers;
import org.outpost.downstream.api.ChildScope;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.SasToken;

/** The endpoint over real TLS, asked with the JDK's HTTP client; pax-url's real resolver fetches what is missing. */
class ArtifactServerTest {

    private static final String HUB = "outpost-hub.local";
    private static final String KEY_B = "a2V5LW9mLWNoaWxkLWdhdGV3YXktYi0xMjM0NTY3OA==";
    private static final String KEY_LEAF = "a2V5LW9mLWxlYWYtZGV2aWNlLTEyMzQ1Njc4OTAxMg==";
    private static final String JAR = "org/outpost/samples/sensor/1.0.0/sensor-1.0.0.jar";

    @TempDir
    Path dir;

    private TestTls tls;
    private Path system;
    private Path local;
    private Path remote;
    private MavenResolver resolver;
    private ArtifactServer server;
    private HttpClient http;

    /** The gateway's scope: child gateway B, a leaf, a disabled child gateway. */
    private static final class FixedScope implements ChildScope {
        @Override
        public Optional<DeviceScope> current() {
            return Optional.of(new DeviceScope("gw-a", 3, List.of(
                    new DeviceScope.Device("gw-b", "gw-a", true, true, KEY_B, null, null, null, List.of()),
                    new DeviceScope.Device("leaf-1", "gw-a", true, false, KEY_LEAF, null, null, null, List.of()),
                    new DeviceScope.Device("gw-off", "gw-a", false, true, KEY_B, null, null, null, List.of()))));
        }

        @Override
        public void replace(DeviceScope scope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable onChange(Consumer<DeviceScope> listener) {
            return () -> { };
        }
    }

    @BeforeEach
    void start() throws Exception {
        tls = new TestTls(dir);
        system = Files.createDirectories(dir.resolve("karaf/system"));
        local = Files.createDirectories(dir.resolve("local"));
        remote = Files.createDirectories(dir.resolve("remote"));
        write(system.resolve(JAR), "the sensor bundle");
        write(dir.resolve("karaf/etc/secret.cfg"), "not for children");
        Path settings = write(dir.resolve("settings.xml"), "<settings/>");
        Hashtable<String, String> pax = new Hashtable<>();
        pax.put("org.ops4j.pax.url.mvn.localRepository", local.toString());
        pax.put("org.ops4j.pax.url.mvn.settings", settings.toString());
        pax.put("org.ops4j.pax.url.mvn.defaultRepositories", "");
        pax.put("org.ops4j.pax.url.mvn.repositories", remote.toUri() + "@id=upstream");
        pax.put("org.ops4j.pax.url.mvn.useFallbackRepositories", "false");
        resolver = MavenResolvers.createMavenResolver(pax, "org.ops4j.pax.url.mvn");
        ArtifactSettings s = new ArtifactSettings(0, "127.0.0.1", List.of(system), true, 2, Duration.ofSeconds(10),
                10);
        server = new ArtifactServer(s, tls.server, new ArtifactStore(s.folders(), () -> resolver, true),
                new ChildAuthorization(new FixedScope(), Clock.systemUTC()), Clock.systemUTC());
        http = HttpClient.newBuilder().sslContext(tls.client).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        resolver.close();
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String token(String device, String key) {
        return SasToken.create(HUB + "/devices/" + device, key, Instant.now().plus(Duration.ofHours(1)));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChildGatewayGetsAFileOfTheSystemFolderAndItsChecksumWithItsSasToken() throws Exception {
        HttpResponse<String> jar = get("/artifacts/" + JAR, token("gw-b", KEY_B));
        HttpResponse<String> sha1 = get("/artifacts/" + JAR + ".sha1", token("gw-b", KEY_B));

        assertThat(jar.statusCode()).isEqualTo(200);
        assertThat(jar.body()).isEqualTo("the sensor bundle");
        assertThat(sha1.statusCode()).isEqualTo(200);
        assertThat(sha1.body()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("the sensor bundle".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void mavenClientsMaySendTheDeviceIdAndItsKeyOrATokenAsBasicCredentials() throws Exception {
        String withKey = Base64.getEncoder().encodeToString(("gw-b:" + KEY_B).getBytes(StandardCharsets.UTF_8));
        String withToken = Base64.getEncoder().encodeToString(("gw-b:" + token("gw-b", KEY_B))
                .getBytes(StandardCharsets.UTF_8));

        assertThat(get("/artifacts/" + JAR, "Basic " + withKey).statusCode()).isEqualTo(200);
        assertThat(get("/artifacts/" + JAR, "Basic " + withToken).statusCode()).isEqualTo(200);
    }

    @Test
    void whatTheGatewayLacksIsFetchedThroughPaxUrlAndKeptInItsLocalRepository() throws Exception {
        String path = "org/outpost/samples/filter/2.0.0/filter-2.0.0.jar";
        write(remote.resolve(path), "the filter bundle");
        write(remote.resolve("org/outpost/samples/filter/2.0.0/filter-2.0.0.pom"), "<project/>");

        HttpResponse<String> r = get("/artifacts/" + path, token("gw-b", KEY_B));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("the filter bundle");
        assertThat(local.resolve(path)).hasContent("the filter bundle");
        // Served from the cache when the remote repository no longer has it.
        Files.delete(remote.resolve(path));
        assertThat(get("/artifacts/" + path, token("gw-b", KEY_B)).body()).isEqualTo("the filter bundle");
    }

    @Test
    void aChildGatewaysPaxUrlFetchesThroughItsParentWithTheCredentialsOfItsSettingsXml() throws Exception {
        // The child's etc/org.ops4j.pax.url.mvn.cfg and its owner-only settings.xml, as docs/configuration.md says.
        Path childSettings = write(dir.resolve("child/maven-settings.xml"), "<settings><servers><server>"
                + "<id>parent</id><username>gw-b</username><password>" + KEY_B + "</password></server></servers>"
                + "</settings>");
        Hashtable<String, String> pax = new Hashtable<>();
        pax.put("org.ops4j.pax.url.mvn.localRepository", dir.resolve("child/local").toString());
        pax.put("org.ops4j.pax.url.mvn.settings", childSettings.toString());
        pax.put("org.ops4j.pax.url.mvn.defaultRepositories", "");
        pax.put("org.ops4j.pax.url.mvn.repositories", "https://localhost:" + server.port() + "/artifacts@id=parent");
        pax.put("org.ops4j.pax.url.mvn.useFallbackRepositories", "false");
        // The test's certificate is not in the JVM's trust store (a child adds its parent's CA there).
        pax.put("org.ops4j.pax.url.mvn.certificateCheck", "false");
        try (MavenResolver child = MavenResolvers.createMavenResolver(pax, "org.ops4j.pax.url.mvn")) {
            java.io.File f = child.resolve("mvn:org.outpost.samples/sensor/1.0.0");

            assertThat(f).hasContent("the sensor bundle");
        }
    }

    @Test
    void whatNoRepositoryHasIsNotFound() throws Exception {
        HttpResponse<String> r = get("/artifacts/org/none/x/1.0/x-1.0.jar", token("gw-b", KEY_B));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("org/none/x/1.0/x-1.0.jar is not in this gateway's repositories");
    }

    @Test
    void onlyChildGatewaysOfThisGatewaysScopeAreServedAndTheyAreToldWhy() throws Exception {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {null, "no Authorization header"});
        cases.add(new String[] {token("leaf-1", KEY_LEAF), "leaf-1 is not a gateway"});
        cases.add(new String[] {token("gw-off", KEY_B), "gw-off is disabled at the hub"});
        cases.add(new String[] {token("gw-x", KEY_B), "gw-x is not a device below this gateway"});
        cases.add(new String[] {token("gw-b", KEY_LEAF), "SAS token signature does not match the device key"});
        cases.add(new String[] {SasToken.create(HUB + "/devices/gw-b/modules/m", KEY_B, Instant.now().plusSeconds(
                60)), "the SAS token is not a device's"});
        cases.add(new String[] {"Basic " + Base64.getEncoder().encodeToString("gw-b:wrong".getBytes(
                StandardCharsets.UTF_8)), "the password is not the device key of gw-b"});
        for (String[] c : cases) {
            HttpResponse<String> r = get("/artifacts/" + JAR, c[0]);

            assertThat(r.statusCode()).as(c[1]).isEqualTo(401);
            assertThat(r.body()).contains(c[1]).doesNotContain("the sensor bundle");
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"outpost artifacts\"");
        }
    }

    @Test
    void anAddressThatFailsTooOftenIsRefusedForAWhileEvenWithGoodCredentials() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(get("/artifacts/" + JAR, token("gw-b", KEY_LEAF)).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> r = get("/artifacts/" + JAR, token("gw-b", KEY_B));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("too many failed authentications from 127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/artifacts/../etc/secret.cfg", "/artifacts/%2e%2e/etc/secret.cfg",
        "/artifacts/org/..%2f..%2fetc/secret.cfg", "/artifacts/..%5cetc%5csecret.cfg", "/artifacts/%2fetc/passwd"})
    void aPathThatWouldLeaveTheRepositoriesIsRefused(String target) throws Exception {
        // Sent as written (an HTTP client may normalize '..' away).
        String response = rawGet(target, token("gw-b", KEY_B));

        assertThat(response).startsWith("HTTP/1.1 400 ").contains("is not a plain file or folder name")
                .doesNotContain("not for children");
    }

    @Test
    void otherMethodsAndPlacesAreRefused() throws Exception {
        assertThat(get("/other/" + JAR, token("gw-b", KEY_B)).statusCode()).isEqualTo(404);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
                + "/artifacts/" + JAR)).header("Authorization", token("gw-b", KEY_B))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
    }

    private String rawGet(String target, String authorization) throws Exception {
        try (SSLSocket s = (SSLSocket) tls.client.getSocketFactory().createSocket("localhost", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
