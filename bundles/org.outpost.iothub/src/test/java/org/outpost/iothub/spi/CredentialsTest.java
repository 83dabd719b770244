/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.outpost.protocol.SasToken;

class CredentialsTest {

    private static final String KEY = Base64.getEncoder().encodeToString("primary-key-of-32-bytes-long!!!!".getBytes());
    private static final String SECONDARY = Base64.getEncoder().encodeToString("secondary-key-of-32-bytes-long!!"
            .getBytes());
    private static final String OTHER = Base64.getEncoder().encodeToString("some-other-key-of-32-bytes-long!"
            .getBytes());
    /** SHA-256 and SHA-1 thumbprints of device.pem (openssl x509 -noout -fingerprint). */
    static final String SHA256 = "7575D6A4D0A70B2C27CC6BBAE90A617311E52911253BD769B7F510CD419B8E66";
    static final String SHA1 = "843D558742E5791BC6AD017E91072086379BD2C3";

    private final Identity module = Identity.module("d1", "m1");
    private final Instant now = Instant.now();

    private Credentials token(String resource, String key, Instant expiry) {
        return new Credentials("hub.example", SasToken.create(resource, key, expiry), null);
    }

    /** @return why the token is refused for the module, or null if it is valid */
    private String check(Credentials c) {
        return Credentials.checkSasToken(c.sasToken(), module.sasResource("hub.example"), KEY, SECONDARY, now)
                .orElse(null);
    }

    @Test
    void aTokenSignedWithEitherKeyForTheIdentityIsValidUntilItExpires() {
        Instant later = now.plus(Duration.ofHours(1));

        assertThat(check(token("hub.example/devices/d1/modules/m1", KEY, later))).isNull();
        assertThat(check(token("hub.example/devices/d1/modules/m1", SECONDARY, later))).isNull();
        assertThat(check(token("hub.example/devices/d1/modules/m1", OTHER, later))).isEqualTo(
                "SAS token signature does not match the device key");
        assertThat(check(token("hub.example/devices/d1", KEY, later))).isEqualTo(
                "SAS token is for 'hub.example/devices/d1', not hub.example/devices/d1/modules/m1");
        assertThat(check(token("hub.example/devices/d1/modules/m1", KEY, now.minusSeconds(60)))).startsWith(
                "SAS token expired at ");
    }

    @Test
    void aKeyIsNotASasTokenAndAMalformedTokenSaysWhy() {
        Credentials key = new Credentials("hub.example", KEY, null);
        Credentials malformed = new Credentials("hub.example", "SharedAccessSignature sr=x", null);

        assertThat(key.hasSasToken()).isFalse();
        assertThat(key.password()).contains(KEY);
        assertThatThrownBy(key::sasToken).isInstanceOf(IllegalArgumentException.class);
        assertThat(malformed.hasSasToken()).isTrue();
        assertThatThrownBy(malformed::sasToken).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Credentials("h", "", null).password()).isEmpty();
    }

    @Test
    void aCertificateMatchesItsSha256OrSha1ThumbprintAndIsCheckedForValidity() throws Exception {
        Credentials device = new Credentials("hub.example", null, certificate("device.pem"));
        Credentials expired = new Credentials("hub.example", null, certificate("expired.pem"));

        assertThat(device.certificateMatches(SHA256)).isTrue();
        assertThat(device.certificateMatches(SHA1)).isTrue();
        assertThat(device.certificateMatches(SHA256.replace('7', '8'))).isFalse();
        assertThat(device.certificateValidity()).isEmpty();
        assertThat(expired.certificateValidity()).hasValueSatisfying(why -> assertThat(why).startsWith(
                "the client certificate is not valid now ("));
        assertThat(new Credentials("h", "k", null).certificateMatches(SHA256)).isFalse();
    }

    @Test
    void itNamesNoSecret() {
        assertThat(new Credentials("h", KEY, null)).hasToString("Credentials[key]");
        assertThat(token("r", KEY, now).toString()).isEqualTo("Credentials[SAS token]").doesNotContain("sig=");
    }

    static X509Certificate certificate(String resource) throws Exception {
        try (InputStream in = CredentialsTest.class.getResourceAsStream("/" + resource)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
