/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.SasToken;

/** Who the device scope lets in, table by table: own credentials, on behalf of a gateway, certificates. */
class ChildAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LEAF = key("leaf");
    private static final String B = key("gwB");
    private static final String MOD = key("mod");

    @TempDir
    static Path dir;
    private static X509Certificate leafCert;
    private static X509Certificate bCert;
    private static X509Certificate strangerCert;

    private volatile DeviceScope scope;
    private final ChildAuthenticator auth = new ChildAuthenticator(() -> Optional.ofNullable(scope), () -> "gw",
            "hub.example", Clock.fixed(NOW, ZoneOffset.UTC));

    private static String key(String seed) {
        return Base64.getEncoder().encodeToString((seed + "-0123456789abcdef0123456789abcdef").substring(0, 32)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @BeforeAll
    static void certificates() throws Exception {
        leafCert = certificate("leaf");
        bCert = certificate("gwB");
        strangerCert = certificate("stranger");
    }

    private static X509Certificate certificate(String cn) throws Exception {
        Path store = dir.resolve(cn + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", cn, "-keyalg", "EC", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "secret", "-dname", "CN=" + cn, "-validity", "36500").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "secret".toCharArray());
        }
        return (X509Certificate) ks.getCertificate(cn);
    }

    private DeviceScope scope() {
        return new DeviceScope("gw", 1, List.of(
                new DeviceScope.Device("leaf", "gw", true, false, LEAF, null, Credentials.thumbprint(leafCert,
                        "SHA-256"), null, List.of()),
                new DeviceScope.Device("gwB", "gw", true, true, B, null, Credentials.thumbprint(bCert, "SHA-256"),
                        null, List.of(new DeviceScope.Module("mod", MOD, null))),
                new DeviceScope.Device("below", "gwB", true, false, key("below"), null, null, null, List.of()),
                new DeviceScope.Device("belowBelow", "below", true, false, key("bb"), null, null, null, List.of())));
    }

    private Authentication sas(String clientId, String resource, String key, Duration validity) {
        return auth.authenticate(Identity.claimedBy(clientId).orElseThrow(), new Credentials("gateway.local", SasToken
                .create(resource, key, NOW.plus(validity)), null));
    }

    private Authentication sas(String clientId, String resource, String key) {
        return sas(clientId, resource, key, Duration.ofHours(1));
    }

    private Authentication cert(String clientId, X509Certificate c) {
        return auth.authenticate(Identity.claimedBy(clientId).orElseThrow(), new Credentials("gateway.local", null,
                c));
    }

    private static String accepted(Authentication a) {
        return a instanceof Authentication.Accepted ok ? ok.identity().kind() + " " + ok.identity() : "refused: "
                + ((Authentication.Refused) a).reason();
    }

    @Test
    void ownCredentials() {
        scope = scope();
        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", LEAF))).isEqualTo("CHILD_DEVICE leaf");
        assertThat(accepted(sas("leaf", "devices/leaf", LEAF))).as("no host").isEqualTo("CHILD_DEVICE leaf");
        assertThat(accepted(sas("gwB", "hub.example/devices/gwB", B))).isEqualTo("CHILD_GATEWAY gwB");
        assertThat(accepted(sas("gwB/mod", "hub.example/devices/gwB/modules/mod", MOD))).isEqualTo("MODULE gwB/mod");
        assertThat(accepted(sas("gwB/$edgeAgent", "hub.example/devices/gwB/modules/$edgeAgent", B))).isEqualTo(
                "MODULE gwB/$edgeAgent");
        assertThat(accepted(sas("gwB/$edgeHub", "hub.example/devices/gwB", B))).isEqualTo("MODULE gwB/$edgeHub");
        assertThat(accepted(auth.authenticate(Identity.device("leaf"), new Credentials("g", LEAF, null))))
                .as("the key itself").isEqualTo("CHILD_DEVICE leaf");
        assertThat(accepted(cert("leaf", leafCert))).isEqualTo("CHILD_DEVICE leaf");
    }

    @Test
    void onBehalfOfAGatewayAboveTheDevice() {
        scope = scope();
        // "below" has a device below it: a gateway, though the scope does not mark it (yet).
        assertThat(accepted(sas("below", "hub.example/devices/gwB", B))).isEqualTo("CHILD_GATEWAY below");
        assertThat(accepted(sas("belowBelow", "hub.example/devices/gwB", B))).isEqualTo("CHILD_DEVICE belowBelow");
        assertThat(accepted(sas("below/$edgeHub", "hub.example/devices/gwB", B))).isEqualTo("MODULE below/$edgeHub");
        assertThat(accepted(cert("belowBelow", bCert))).isEqualTo("CHILD_DEVICE belowBelow");
    }

    @Test
    void refusals() {
        scope = scope();
        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", B))).isEqualTo(
                "refused: leaf: SAS token signature does not match the device's keys");
        assertThat(accepted(sas("leaf", "other.host/devices/leaf", LEAF))).startsWith(
                "refused: leaf: SAS token is for 'other.host/devices/leaf'");
        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", LEAF, Duration.ofDays(400)))).contains(
                "more than a year from now");
        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", LEAF, Duration.ofSeconds(-1)))).contains(
                "expired");
        assertThat(accepted(sas("leaf", "hub.example/devices/gwB", B))).isEqualTo("refused: leaf: it gave a token of"
                + " device 'gwB', which is not above 'leaf': a gateway connects only its descendants on its behalf");
        assertThat(accepted(sas("gwB", "hub.example/devices/below", key("below")))).contains("not above 'gwB'");
        assertThat(accepted(sas("stranger", "hub.example/devices/stranger", LEAF))).startsWith(
                "refused: device 'stranger' is not below this gateway 'gw'").contains("hub:device-update --parent gw"
                        + " stranger");
        assertThat(accepted(sas("gwB/other", "hub.example/devices/gwB/modules/other", MOD))).contains(
                "has no identity at the hub");
        assertThat(accepted(sas("gwB/mod", "hub.example/devices/gwB", B))).as("a device token opens no module")
                .contains("SAS token is for");
        assertThat(accepted(cert("leaf", strangerCert))).contains("thumbprint is not the device's");
        assertThat(accepted(cert("leaf", bCert))).as("gwB is not above leaf").contains("thumbprint is not");
        assertThat(accepted(auth.authenticate(Identity.device("leaf"), new Credentials("g", null, null)))).contains(
                "no password and no client certificate");
        assertThat(accepted(auth.authenticate(Identity.device("leaf"), new Credentials("g", "wrong", null))))
                .isEqualTo("refused: leaf: wrong key");
    }

    @Test
    void disabledDevicesAndGatewaysAreRefusedAndNoScopeLetsNoChildIn() {
        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", LEAF))).contains("no device scope yet");
        DeviceScope s = scope();
        scope = new DeviceScope("gw", 2, s.devices().stream().map(d -> d.deviceId().equals("leaf") || d.deviceId()
                .equals("gwB") ? new DeviceScope.Device(d.deviceId(), d.parentId(), false, d.edge(), d.primaryKey(),
                        null, d.primaryThumbprint(), null, d.modules()) : d).toList());

        assertThat(accepted(sas("leaf", "hub.example/devices/leaf", LEAF))).isEqualTo(
                "refused: device 'leaf' is disabled at the hub");
        assertThat(accepted(sas("below", "hub.example/devices/gwB", B))).contains("which is disabled");
        assertThat(accepted(cert("below", bCert))).contains("thumbprint is not");
    }

    @Test
    void noSecretInAnyRefusal() {
        scope = scope();
        for (Authentication a : List.of(sas("leaf", "hub.example/devices/leaf", B), sas("leaf",
                "hub.example/devices/gwB", B), auth.authenticate(Identity.device("leaf"), new Credentials("g",
                        "wrong", null)))) {
            assertThat(accepted(a)).doesNotContain(B).doesNotContain(LEAF).doesNotContain("sig=");
        }
    }
}
