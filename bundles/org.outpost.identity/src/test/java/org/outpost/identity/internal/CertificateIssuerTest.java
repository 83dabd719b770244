/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.outpost.identity.internal.CertificateIssuer.Issued;

class CertificateIssuerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());

    @Test
    void aServerCertificateNeverOutlivesItsCa() throws Exception {
        Issued ca = issuer.newCa("gw", NOW, 10);

        Issued server = issuer.newServer(ca, List.of("localhost"), NOW, 30);

        assertThat(server.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        assertThat(CertificateIssuer.issuedBy(server.certificate(), ca.certificate())).isTrue();
        assertThat(CertificateIssuer.issuedBy(server.certificate(), issuer.newCa("gw", NOW, 10).certificate()))
                .isFalse();
    }

    @Test
    void namesAreDnsNamesAndAddressesAreIpAddressesInTheCertificate() throws Exception {
        Issued ca = issuer.newCa("gw", NOW, 10);

        Issued server = issuer.newServer(ca, List.of("gw.example", "10.0.0.5", "::1"), NOW, 5);

        assertThat(server.certificate().getSubjectAlternativeNames()).containsExactly(List.of(2, "gw.example"),
                List.of(7, "10.0.0.5"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=gw.example");
        assertThat(server.certificate().getNotBefore().toInstant()).isBefore(NOW);
        assertThat(server.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(5)));
    }

    @Test
    void aKeyMatchesOnlyItsOwnCertificate() throws Exception {
        Issued a = issuer.newCa("a", NOW, 10);
        Issued b = issuer.newCa("b", NOW, 10);

        assertThat(CertificateIssuer.matches(a.key(), a.certificate().getPublicKey())).isTrue();
        assertThat(CertificateIssuer.matches(a.key(), b.certificate().getPublicKey())).isFalse();
    }

    @Test
    void keysAndCertificatesSurvivePemAndGarbageIsRefused() throws Exception {
        Issued ca = issuer.newCa("gw", NOW, 10);

        Pem.Contents read = Pem.read(Pem.privateKey(ca.key()) + Pem.certificates(ca.certificate()));

        assertThat(Pem.privateKey(ca.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(read.key()).isEqualTo(ca.key());
        assertThat(read.certificates()).containsExactly(ca.certificate());
        assertThatThrownBy(() -> Pem.read("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IOException.class).hasMessageStartingWith("not a readable PEM file");
    }
}
