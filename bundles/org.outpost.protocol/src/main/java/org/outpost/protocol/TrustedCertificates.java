/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a client of the hub that trusts given certificates (a private CA, or a hub's self-signed certificate)
 * instead of the JVM's default trust store. Host names are still checked against the certificate.
 */
public final class TrustedCertificates {

    private TrustedCertificates() {
    }

    /**
     * @param pemFile one or more PEM certificates
     * @return a socket factory whose connections trust exactly these certificates
     * @throws IOException if the file cannot be read or holds no certificate, saying which
     */
    public static SSLSocketFactory socketFactory(Path pemFile) throws IOException {
        return sslContext(pemFile).getSocketFactory();
    }

    /**
     * @param pemFile one or more PEM certificates
     * @return a TLS context whose connections trust exactly these certificates (for clients that make their own
     *         engines, as Netty's)
     * @throws IOException if the file cannot be read or holds no certificate, saying which
     */
    public static SSLContext sslContext(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(pemFile + " holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : certificates) {
                trust.setCertificateEntry("trusted-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(pemFile + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }
}
