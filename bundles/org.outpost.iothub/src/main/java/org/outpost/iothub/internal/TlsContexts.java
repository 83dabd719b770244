/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.outpost.iothub.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's TLS context, from its PKCS#12 key store. */
final class TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private TlsContexts() {
    }

    /**
     * @return the TLS context from the settings' key store, or null if TLS is off or there is no key store (logged,
     *         with how to make one)
     * @throws IllegalStateException if the key store cannot be read (a wrong password)
     */
    static SslContext of(ServerSettings settings) throws GeneralSecurityException, IOException {
        if (!settings.tls()) {
            return null;
        }
        Path store = settings.tlsKeystore();
        if (!Files.isRegularFile(store)) {
            LOG.info("The IoT Hub TLS endpoint is off: there is no key store {}. Make one with the hub's names in it,"
                    + " e.g. keytool -genkeypair -alias hub -keyalg EC -storetype PKCS12 -keystore {} -dname"
                    + " CN={} -ext san=dns:{},ip:127.0.0.1 (docs/protocol.md, TLS)", store, store,
                    settings.hostName(), settings.hostName());
            return null;
        }
        char[] password = settings.tlsKeystorePassword().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS key store " + store + " (" + e.getMessage()
                    + "): check tls.keystore.password in " + settings.configurationFile(), e);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        // Client certificates are asked for, not required: a client authenticates with a SAS token or with a
        // certificate whose thumbprint its identity holds, checked at CONNECT.
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).clientAuth(ClientAuth.OPTIONAL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols("TLSv1.3", "TLSv1.2").build();
    }
}
