/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.identity.internal.GatewayCa.Outcome;
import org.outpost.identity.internal.TestSupport.MovableClock;

class GatewayCaTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path data;
    private Path dir;
    private MovableClock clock;
    private GatewayCa ca;

    @BeforeEach
    void setUp() {
        dir = data.resolve("outpost/ca");
        clock = new MovableClock(T0);
        ca = newCa();
    }

    private GatewayCa newCa() {
        return new GatewayCa(new CaFiles(dir), () -> "gw-1", clock, new SecureRandom());
    }

    @Test
    void theFirstCheckMakesACaAndAServerCertificateThatChainsToItAndNamesTheHosts() throws Exception {
        assertThat(ca.check(TestSupport.settings(data))).isEqualTo(Outcome.CREATED);

        X509Certificate caCert = ca.state().ca().certificate();
        X509Certificate server = ca.state().server().certificate();
        assertThat(caCert.getSubjectX500Principal().getName()).isEqualTo("CN=Outpost gateway CA gw-1");
        assertThat(caCert.getBasicConstraints()).isEqualTo(0);
        assertThat(caCert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(caCert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(caCert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(caCert.getNotAfter().toInstant()).isAfter(T0.plus(Duration.ofDays(364)));
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        assertThat(server.getNotAfter().toInstant()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(chainsTo(server, readPem(dir.resolve("ca.pem")))).isTrue();
    }

    @Test
    void theKeysAreOwnerOnlyInAnOwnerOnlyFolder() throws Exception {
        ca.check(TestSupport.settings(data));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        for (String f : List.of("ca.key.pem", "server.p12", "server.p12.password")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).as(f)
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----")
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void anotherInstanceReadsTheSameCaAndServerCertificateFromDisk() throws Exception {
        ca.check(TestSupport.settings(data));

        GatewayCa again = newCa();
        assertThat(again.check(TestSupport.settings(data))).isEqualTo(Outcome.UNCHANGED);
        assertThat(again.state().ca().certificate()).isEqualTo(ca.state().ca().certificate());
        assertThat(again.state().server().certificate()).isEqualTo(ca.state().server().certificate());
        assertThat(again.state().password()).isEqualTo(ca.state().password());
    }

    @Test
    void aTlsClientThatTrustsCaPemCompletesAHandshakeWithAServerUsingTheKeyStore() throws Exception {
        GatewayCa real = new GatewayCa(new CaFiles(dir), () -> "gw-1", java.time.Clock.systemUTC(),
                new SecureRandom());
        real.check(TestSupport.settings(data));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            ks.load(in, real.state().password());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, real.state().password());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", readPem(dir.resolve("ca.pem")));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0,
                1, loopback)) {
            server.setSoTimeout(10_000);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write('!');
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory().createSocket(loopback,
                    server.getLocalPort())) {
                SSLParameters p = client.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(p);
                client.setSoTimeout(10_000);
                assertThat(client.getInputStream().read()).isEqualTo('!');
                assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(real.state().server()
                        .certificate());
            }
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theServerCertificateIsRenewedWhenAThirdOfItsLifeIsLeftAndListenersAreTold() throws Exception {
        ca.check(TestSupport.settings(data));
        X509Certificate first = ca.state().server().certificate();
        List<String> told = new ArrayList<>();
        ca.onRenewal(() -> told.add("renewed"));

        clock.advance(Duration.ofDays(19));
        assertThat(ca.check(TestSupport.settings(data))).isEqualTo(Outcome.UNCHANGED);
        clock.advance(Duration.ofDays(2));
        assertThat(ca.check(TestSupport.settings(data))).isEqualTo(Outcome.SERVER_RENEWED);

        X509Certificate renewed = ca.state().server().certificate();
        assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
        assertThat(told).containsExactly("renewed");
        assertThat(newCa().check(TestSupport.settings(data))).as("the renewed key store is on disk")
                .isEqualTo(Outcome.UNCHANGED);
        assertThat(chainsTo(renewed, readPem(dir.resolve("ca.pem")))).isTrue();
    }

    @Test
    void theCaIsRenewedNearItsExpiryWithANewServerCertificate() throws Exception {
        ca.check(TestSupport.settings(data));
        X509Certificate oldCa = ca.state().ca().certificate();

        clock.advance(Duration.ofDays(250));
        assertThat(ca.check(TestSupport.settings(data))).isEqualTo(Outcome.CA_RENEWED);

        X509Certificate newCa = ca.state().ca().certificate();
        assertThat(newCa).isNotEqualTo(oldCa);
        assertThat(readPem(dir.resolve("ca.pem"))).isEqualTo(newCa);
        assertThat(chainsTo(ca.state().server().certificate(), newCa)).isTrue();
        assertThat(newCa().check(TestSupport.settings(data))).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void changedHostNamesReissueTheServerCertificate() throws Exception {
        ca.check(TestSupport.settings(data));

        assertThat(ca.check(TestSupport.settings(data, List.of("gateway.example", "localhost"))))
                .isEqualTo(Outcome.HOSTS_CHANGED);
        assertThat(ca.state().hostNames()).containsExactly("gateway.example", "localhost");
        assertThat(ca.check(TestSupport.settings(data, List.of("gateway.example", "localhost"))))
                .isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aCorruptCaKeyIsRefusedNamingTheFileAndWhatToDoAndIsLeftAsItIs() throws Exception {
        ca.check(TestSupport.settings(data));
        Files.writeString(dir.resolve("ca.key.pem"), "-----BEGIN PRIVATE KEY-----\nnot a key\n");

        assertThatThrownBy(() -> newCa().check(TestSupport.settings(data))).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("ca.key.pem").toString())
                .hasMessageContaining("cannot be read")
                .hasMessageContaining("delete the folder " + dir);
        assertThat(Files.readString(dir.resolve("ca.key.pem"))).contains("not a key");
    }

    @Test
    void aCaKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
        ca.check(TestSupport.settings(data));
        CertificateIssuer.Issued other = new CertificateIssuer(new SecureRandom()).newCa("x", T0, 10);
        Files.writeString(dir.resolve("ca.key.pem"), Pem.privateKey(other.key()) + Pem.certificates(ca.state().ca()
                .certificate()));

        assertThatThrownBy(() -> newCa().check(TestSupport.settings(data)))
                .hasMessageContaining("does not match its CA certificate").hasMessageContaining("delete the folder");
    }

    @Test
    void aKeyStoreWithoutItsPasswordFileIsRefused() throws Exception {
        ca.check(TestSupport.settings(data));
        Files.delete(dir.resolve("server.p12.password"));

        assertThatThrownBy(() -> newCa().check(TestSupport.settings(data)))
                .hasMessageContaining("server.p12.password is missing, so server.p12 cannot be opened");
        assertThat(dir.resolve("server.p12.password")).doesNotExist();
    }

    @Test
    void aMissingKeyStoreIsIssuedAgainByTheSameCa() throws Exception {
        ca.check(TestSupport.settings(data));
        X509Certificate caCert = ca.state().ca().certificate();
        Files.delete(dir.resolve("server.p12"));

        GatewayCa again = newCa();
        assertThat(again.check(TestSupport.settings(data))).isEqualTo(Outcome.SERVER_ISSUED);
        assertThat(again.state().ca().certificate()).isEqualTo(caCert);
        assertThat(dir.resolve("server.p12")).exists();
    }

    private static X509Certificate readPem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Validates with the JDK's PKIX validator (at the certificate's own start); throws if it does not chain. */
    private static boolean chainsTo(X509Certificate certificate, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(certificate.getNotBefore().toInstant().plusSeconds(600)));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(
                List.of(certificate)), params);
        return true;
    }
}
