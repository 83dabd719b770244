/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PKCS#12 key store the broker's network acceptors serve TLS with: the configured {@code tls.keystore}, or on a
 * gateway the server key store its certificate authority issues ({@code org.outpost.identity}:
 * {@code ${karaf.data}/outpost/ca/server.p12}, its password in {@code server.p12.password} beside it). Artemis reloads
 * it when the file changes, so a renewed certificate is served to new connections.
 *
 * @param keyStore the key store
 * @param password its password (never logged)
 * @param source where it came from, for the log: {@code tls.keystore} or the gateway's certificate authority
 */
record AcceptorTls(Path keyStore, String password, String source) {

    AcceptorTls {
        Objects.requireNonNull(keyStore, "keyStore");
        password = password == null ? "" : password;
    }

    /** @return the gateway CA's server key store, if the gateway's certificate authority has made it */
    static Optional<AcceptorTls> gatewayCa(Path karafData) {
        Path dir = karafData.resolve("outpost").resolve("ca");
        Path store = dir.resolve("server.p12");
        Path password = dir.resolve("server.p12.password");
        if (!Files.isRegularFile(store) || !Files.isRegularFile(password)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AcceptorTls(store, Files.readString(password, StandardCharsets.US_ASCII).strip(),
                    "the gateway's certificate authority"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @return a client socket factory that trusts the certificates of this key store (its own chain), and nothing else
     * @throws IllegalStateException if the key store cannot be read, saying which file
     */
    SSLSocketFactory clientSocketFactory() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(in, password.toCharArray());
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (String alias : Collections.list(own.aliases())) {
                Certificate[] chain = own.getCertificateChain(alias);
                for (Certificate c : chain == null ? new Certificate[] {own.getCertificate(alias)} : chain) {
                    if (c != null) {
                        trusted.setCertificateEntry("c" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the broker's TLS key store " + keyStore + " (" + source
                    + "): " + e.getMessage(), e);
        }
    }

    /** Names no password. */
    @Override
    public String toString() {
        return "AcceptorTls[" + keyStore + " from " + source + "]";
    }
}
