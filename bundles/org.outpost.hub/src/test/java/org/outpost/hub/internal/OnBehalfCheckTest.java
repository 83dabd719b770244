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

/** A gateway connects a device below it (or a module of one) with its own credentials: "on behalf of". */
class OnBehalfCheckTest {

    /** SHA-256 thumbprint of device.pem. */
    private static final String THUMBPRINT = "7575D6A4D0A70B2C27CC6BBAE90A617311E52911253BD769B7F510CD419B8E66";
    private static final String MODULE_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private ModuleStore modules;
    private IdentityCheck identities;
    /** top <- middle <- leaf; other (a sibling gateway of top) <- stranger. */
    private String topKey;
    private String middleKey;
    private String otherKey;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        topKey = devices.create("top");
        middleKey = devices.create("middle", "top");
        devices.create("leaf", "middle");
        otherKey = devices.create("other");
        devices.create("stranger", "other");
        modules = new ModuleStore(db, devices, Boxes.BOX);
        identities = new IdentityCheck(devices, modules, Duration.ofDays(365), Instant::now);
    }

    @AfterEach
    void tearDown() {
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    private Authentication as(Identity identity, String gateway, String key) {
        return as(identity, gateway, key, LATER);
    }

    private Authentication as(Identity identity, String gateway, String key, Instant expiry) {
        return identities.authenticate(identity, new Credentials("hub.example", SasToken.create(
                "hub.example/devices/" + gateway, key, expiry), null));
    }

    private static String reason(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) a).reason();
    }

    @Test
    void anAncestorsTokenConnectsADescendantAsItselfAtAnyDepth() {
        assertThat(as(Identity.device("leaf"), "middle", middleKey)).isEqualTo(Authentication.accepted(
                Identity.device("leaf")));
        assertThat(as(Identity.device("leaf"), "top", topKey)).isEqualTo(Authentication.accepted(
                Identity.device("leaf")));
        assertThat(as(Identity.module("middle", "$edgeHub"), "top", topKey)).isEqualTo(Authentication.accepted(
                Identity.module("middle", "$edgeHub")));
        assertThat(devices.device("leaf").orElseThrow().lastSeen()).isNotNull();
    }

    @Test
    void aDeviceThatIsNotBelowTheGatewayIsRefused() {
        assertThat(reason(as(Identity.device("top"), "middle", middleKey))).isEqualTo("top on behalf of middle:"
                + " device 'top' is not below gateway 'middle' (it has no parent): a gateway acts only for the devices"
                + " below it (hub:device-update --parent middle top)");
        assertThat(reason(as(Identity.device("stranger"), "top", topKey))).contains(
                "device 'stranger' is not below gateway 'top' (its ancestors: other)");
    }

    @Test
    void aSiblingGatewayCannotActForAnothersChildren() {
        assertThat(reason(as(Identity.device("leaf"), "other", otherKey))).startsWith("leaf on behalf of other:"
                + " device 'leaf' is not below gateway 'other'");
        assertThat(reason(as(Identity.device("stranger"), "middle", middleKey))).contains("is not below");
    }

    @Test
    void aDisabledGatewayActsForNoDevice() {
        devices.setEnabled("middle", false);
        assertThat(reason(as(Identity.device("leaf"), "middle", middleKey))).isEqualTo("leaf on behalf of middle:"
                + " gateway 'middle' is disabled, so it acts for no device (hub:device-enable middle)");
    }

    @Test
    void aDisabledChildIsRefusedWhoeverAsks() {
        devices.setEnabled("leaf", false);
        assertThat(reason(as(Identity.device("leaf"), "middle", middleKey))).isEqualTo("leaf on behalf of middle:"
                + " device 'leaf' is disabled (hub:device-enable leaf)");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        assertThat(reason(as(Identity.device("leaf"), "middle", topKey))).isEqualTo("leaf on behalf of middle:"
                + " SAS token signature does not match the device key");
        assertThat(reason(as(Identity.device("leaf"), "nobody", topKey))).isEqualTo("SAS token is for"
                + " 'hub.example/devices/nobody', not hub.example/devices/leaf");
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant past = Instant.now().minusSeconds(60);
        assertThat(reason(as(Identity.device("leaf"), "middle", middleKey, past))).startsWith("leaf on behalf of"
                + " middle: SAS token expired at");
    }

    @Test
    void aModuleOfADescendantNeedsItsModuleIdentity() {
        Identity filter = Identity.module("middle", "filter");
        assertThat(reason(as(filter, "top", topKey))).isEqualTo("middle/filter on behalf of top: no module identity"
                + " 'middle/filter' at the hub (its gateway registers it)");
        modules.put("middle", "filter", "g1", MODULE_KEY, MODULE_KEY);
        assertThat(as(filter, "top", topKey)).isEqualTo(Authentication.accepted(filter));
    }

    @Test
    void aModuleTokenOfTheGatewayIsNoTokenOfTheGateway() {
        // Only a device-level token (devices/<G>) asks to connect another identity; a module's is refused as usual.
        String token = SasToken.create("hub.example/devices/middle/modules/$edgeHub", middleKey, LATER);
        assertThat(identities.authenticate(Identity.device("leaf"), new Credentials("hub.example", token, null)))
                .isInstanceOf(Authentication.Refused.class);
    }

    @Test
    void theCertificateOfAnAncestorConnectsADescendant() throws Exception {
        Credentials cert = new Credentials("hub.example", null, certificate());
        devices.setThumbprint("top", THUMBPRINT);

        assertThat(identities.authenticate(Identity.device("leaf"), cert)).isEqualTo(Authentication.accepted(
                Identity.device("leaf")));
        assertThat(reason(identities.authenticate(Identity.device("stranger"), cert))).contains("neither stranger's"
                + " nor a gateway's above it");
        devices.setEnabled("top", false);
        assertThat(reason(identities.authenticate(Identity.device("leaf"), cert))).contains("gateway 'top' is"
                + " disabled, so it acts for no device");
    }

    private static X509Certificate certificate() throws Exception {
        try (InputStream in = OnBehalfCheckTest.class.getResourceAsStream("/device.pem")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
