/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.config.ConfigValues;
import org.outpost.downstream.api.ChildScope;
import org.outpost.identity.api.GatewayCertificates;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.SasToken;

/** The component as DS makes it: configuration, the gateway's certificate, the scope. */
class ArtifactEndpointTest {

    private static final String KEY_B = "a2V5LW9mLWNoaWxkLWdhdGV3YXktYi0xMjM0NTY3OA==";

    @TempDir
    Path dir;

    private static ArtifactEndpoint.Config config(Map<String, Object> raw) {
        ArtifactEndpoint.Config defaults = ConfigValues.defaults(ArtifactEndpoint.Config.class);
        return (ArtifactEndpoint.Config) Proxy.newProxyInstance(ArtifactEndpoint.Config.class.getClassLoader(),
                new Class<?>[] {ArtifactEndpoint.Config.class}, (p, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ArtifactEndpoint.Config.class;
                    }
                    Object v = raw.get(method.getName().replace('_', '.'));
                    if (v == null) {
                        return method.invoke(defaults);
                    }
                    Class<?> type = method.getReturnType();
                    return type == int.class ? Integer.parseInt(v.toString()) : type == boolean.class ? Boolean
                            .parseBoolean(v.toString()) : v.toString();
                });
    }

    private static final class Scope implements ChildScope {
        @Override
        public Optional<DeviceScope> current() {
            return Optional.of(new DeviceScope("gw-a", 1, List.of(new DeviceScope.Device("gw-b", "gw-a", true, true,
                    KEY_B, null, null, null, List.of()))));
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

    private static GatewayCertificates certificates(TestTls tls) {
        return new GatewayCertificates() {
            @Override
            public String caCertificatePem() {
                return "";
            }

            @Override
            public Path caCertificateFile() {
                return tls.keyStore;
            }

            @Override
            public Path serverKeyStore() {
                return tls.keyStore;
            }

            @Override
            public char[] serverKeyStorePassword() {
                return "changeit".toCharArray();
            }

            @Override
            public List<String> serverHostNames() {
                return List.of("localhost");
            }

            @Override
            public Instant serverNotAfter() {
                return Instant.now().plus(Duration.ofDays(1));
            }

            @Override
            public Instant caNotAfter() {
                return serverNotAfter();
            }

            @Override
            public AutoCloseable onRenewal(Runnable listener) {
                return () -> { };
            }
        };
    }

    @Test
    void byDefaultItListensNowhere() throws Exception {
        TestTls tls = new TestTls(dir);
        ArtifactEndpoint e = new ArtifactEndpoint(new Scope(), certificates(tls), config(Map.of()), Map.of());

        assertThat(e.port()).isEqualTo(-1);
        e.deactivate();
    }

    @Test
    void withAPortItServesTheConfiguredFoldersOverTlsWithTheGatewaysCertificate() throws Exception {
        TestTls tls = new TestTls(dir);
        Path repo = Files.createDirectories(dir.resolve("repo/org/x/a/1.0"));
        Files.writeString(repo.resolve("a-1.0.jar"), "bundle a");
        Map<String, Object> raw = Map.of("port", "0", "folders", dir.resolve("repo").toString(), "fetch", "false");
        ArtifactEndpoint e = new ArtifactEndpoint(new Scope(), certificates(tls), config(raw), raw);
        try {
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(tls.client).build().send(HttpRequest
                    .newBuilder(URI.create("https://localhost:" + e.port() + "/artifacts/org/x/a/1.0/a-1.0.jar"))
                    .header("Authorization", SasToken.create("outpost-hub.local/devices/gw-b", KEY_B, Instant.now()
                            .plusSeconds(600))).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("bundle a");
        } finally {
            e.deactivate();
        }
    }

    @Test
    void aBadValueIsRefusedNamingTheKeyAndWhatIsValid() {
        Map<String, Object> raw = Map.of("port", "70000");

        assertThatThrownBy(() -> ArtifactSettings.from(config(raw), raw, dir)).hasMessage("configuration"
                + " org.outpost.downstream.artifacts: port=70000 is not valid: -1 (off), 0 (any free port) or 1-65535");
    }

    @Test
    void foldersAreRelativeToTheKarafHome() throws Exception {
        Map<String, Object> raw = Map.of("folders", "system, /var/repo");

        assertThat(ArtifactSettings.from(config(raw), raw, dir).folders()).containsExactly(dir.resolve("system"),
                Path.of("/var/repo"));
    }
}
