/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM text of certificates and private keys (PKCS#8, unencrypted: the file that holds it is owner-only). Uses the
 * JDK's providers for the keys and certificates; no provider is registered.
 */
final class Pem {

    private Pem() {
    }

    /** @return the certificates as PEM blocks, in order */
    static String certificates(X509Certificate... certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a certificate as PEM", e);
        }
        return out.toString();
    }

    /** @return the key as a PKCS#8 {@code PRIVATE KEY} PEM block */
    static String privateKey(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a private key as PEM", e);
        }
        return out.toString();
    }

    /** What a PEM text holds: its private key (or null) and its certificates, in order. */
    record Contents(PrivateKey key, List<X509Certificate> certificates) {
    }

    /**
     * @return the private key and certificates in {@code text}; other blocks are skipped
     * @throws IOException if a block cannot be read, saying why
     */
    static Contents read(String text) throws IOException {
        PrivateKey key = null;
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(certs.getCertificate(holder));
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    key = keys.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (CertificateException | IOException | RuntimeException e) {
            throw new IOException("not a readable PEM file: " + e.getMessage(), e);
        }
        return new Contents(key, List.copyOf(certificates));
    }
}
