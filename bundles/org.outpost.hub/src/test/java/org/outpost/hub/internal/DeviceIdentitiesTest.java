/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.SasToken;

class DeviceIdentitiesTest {

    /** SHA-256 thumbprint of device.pem. */
    private static final String THUMBPRINT = "7575D6A4D0A70B2C27CC6BBAE90A617311E52911253BD769B7F510CD419B8E66";

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private ModuleStore modules;
    private DeviceIdentities identities;
    private String key;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        key = devices.create("gw");
        modules = new ModuleStore(db, devices, Boxes.BOX);
        identities = new DeviceIdentities(devices, modules);
    }

    @AfterEach
    void tearDown() {
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    private Authentication authenticate(Identity identity, String password) {
        return identities.authenticate(identity, new Credentials("hub.example", password, null));
    }

    private static String token(String resource, String key, Instant expiry) {
        return SasToken.create(resource, key, expiry);
    }

    @Test
    void aDeviceOrItsAgentGetsInWithASasTokenForItOrTheDeviceKeyAndIsSeen() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Identity module = Identity.module("gw", "$edgeAgent");

        assertThat(authenticate(Identity.device("gw"), token("hub.example/devices/gw", key, later)))
                .isEqualTo(Authentication.accepted(Identity.device("gw")));
        assertThat(authenticate(module, token("hub.example/devices/gw/modules/$edgeAgent", key, later)))
                .isEqualTo(Authentication.accepted(module));
        assertThat(authenticate(module, key)).isEqualTo(Authentication.accepted(module));
        assertThat(devices.device("gw").orElseThrow().lastSeen()).isNotNull();
    }

    @Test
    void aRegisteredModuleGetsInWithItsOwnKeysOnlyNotTheDevices() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Identity pump = Identity.module("gw", "pump");
        String resource = "hub.example/devices/gw/modules/pump";
        String deviceSecondary = devices.rotateKey("gw", true);
        String moduleKey = java.util.Base64.getEncoder().encodeToString("a module's own key, 32 bytes long".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        String moduleSecondary = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        modules.put("gw", "pump", "g1", moduleKey, moduleSecondary);

        assertThat(authenticate(pump, token(resource, moduleKey, later))).isEqualTo(Authentication.accepted(pump));
        assertThat(authenticate(pump, token(resource, moduleSecondary, later))).isEqualTo(Authentication.accepted(
                pump));
        assertThat(authenticate(pump, moduleKey)).isEqualTo(Authentication.accepted(pump));
        assertThat(authenticate(pump, token(resource, key, later))).isInstanceOf(Authentication.Refused.class);
        assertThat(authenticate(pump, token(resource, deviceSecondary, later))).isInstanceOf(
                Authentication.Refused.class);
        assertThat(authenticate(pump, key)).isEqualTo(Authentication.refused("wrong module key"));
        assertThat(authenticate(pump, token("hub.example/devices/gw", moduleKey, later))).isEqualTo(
                Authentication.refused("SAS token is for 'hub.example/devices/gw', not " + resource));
        assertThat(identities.authenticate(pump, new Credentials("hub.example", null, null))).isEqualTo(
                Authentication.refused("a module identity authenticates with a SAS token or its key, not a client"
                        + " certificate"));
    }

    @Test
    void theAgentAndTheHubKeepTheDevicesCredentialsAndAnUnregisteredModuleIsRefusedWithWhy() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        Identity hub = Identity.module("gw", "$edgeHub");

        assertThat(authenticate(hub, token("hub.example/devices/gw/modules/$edgeHub", key, later))).isEqualTo(
                Authentication.accepted(hub));
        assertThat(authenticate(Identity.module("gw", "filter"), token("hub.example/devices/gw/modules/filter", key,
                later))).isEqualTo(Authentication.refused("no module identity 'gw/filter' at the hub: the gateway"
                        + " registers its modules when it connects"));
        modules.put("gw", "filter", "g1", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                java.util.Base64.getEncoder().encodeToString(new byte[16]));
        modules.delete("gw", "filter");
        assertThat(authenticate(Identity.module("gw", "filter"), key)).isInstanceOf(Authentication.Refused.class);
    }

    @Test
    void aTokenSignedWithTheSecondaryKeyGetsInWhileThePrimaryIsRotated() {
        String secondary = devices.rotateKey("gw", true);

        assertThat(authenticate(Identity.device("gw"), token("hub.example/devices/gw", secondary, Instant.now()
                .plusSeconds(60)))).isInstanceOf(Authentication.Accepted.class);
    }

    @Test
    void refusalsSayWhyWithoutTheSecret() {
        Instant later = Instant.now().plus(Duration.ofHours(1));

        assertThat(authenticate(Identity.device("nobody"), key)).isEqualTo(Authentication.refused(
                "no device 'nobody' is registered"));
        assertThat(authenticate(Identity.device("gw"), key + "x")).isEqualTo(Authentication.refused(
                "wrong device key"));
        assertThat(authenticate(Identity.device("gw"), token("hub.example/devices/other", key, later))).isEqualTo(
                Authentication.refused("SAS token is for 'hub.example/devices/other', not hub.example/devices/gw"));
        assertThat(authenticate(Identity.device("gw"), "SharedAccessSignature sr=x")).isInstanceOf(
                Authentication.Refused.class);
        assertThat(authenticate(Identity.device("gw"), null)).isEqualTo(Authentication.refused("no password and no"
                + " client certificate (give a SAS token, or connect over TLS with the device's X.509 certificate)"));
        devices.setEnabled("gw", false);
        assertThat(authenticate(Identity.device("gw"), key)).isEqualTo(Authentication.refused(
                "device 'gw' is disabled (hub:device-enable gw lets it in again)"));
    }

    @Test
    void anX509DeviceGetsInWithTheCertificateOfItsThumbprint() throws Exception {
        Credentials device = new Credentials("hub.example", null, certificate("device.pem"));
        Credentials expired = new Credentials("hub.example", "", certificate("expired.pem"));

        assertThat(identities.authenticate(Identity.device("gw"), device)).isEqualTo(Authentication.refused(
                "a client certificate, but the device has no thumbprint registered (hub:device-create --thumbprint)"));
        devices.setThumbprint("gw", THUMBPRINT);
        assertThat(identities.authenticate(Identity.device("gw"), device)).isInstanceOf(
                Authentication.Accepted.class);
        assertThat(identities.authenticate(Identity.device("gw"), expired)).isInstanceOf(
                Authentication.Refused.class).extracting(r -> ((Authentication.Refused) r).reason()).asString()
                .startsWith("the client certificate is not valid now");
        devices.setThumbprint("gw", THUMBPRINT.replace('7', '8'));
        assertThat(identities.authenticate(Identity.device("gw"), device)).isEqualTo(Authentication.refused(
                "the client certificate's thumbprint is not the device's"));
    }

    private static X509Certificate certificate(String resource) throws Exception {
        try (InputStream in = DeviceIdentitiesTest.class.getResourceAsStream("/" + resource)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
