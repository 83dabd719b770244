/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.iothub.ServerSettings;

class TlsContextsTest {

    @TempDir
    Path dir;

    private ServerSettings settings(int tlsPort, Path store, String password) {
        return new ServerSettings("t", "127.0.0.1", 0, "hub.example", tlsPort, store, password, 1024, 10,
                "etc/org.outpost.hub.iothub.cfg");
    }

    private Path keyStore() throws Exception {
        Path store = dir.resolve("server.p12");
        try (InputStream in = getClass().getResourceAsStream("/server.p12")) {
            Files.copy(in, store);
        }
        return store;
    }

    @Test
    void tlsIsOffWithoutATlsPortOrAKeyStore() throws Exception {
        assertThat(TlsContexts.of(settings(-1, keyStore(), "secret"))).isNull();
        assertThat(TlsContexts.of(settings(0, dir.resolve("missing.p12"), "secret"))).isNull();
    }

    @Test
    void aServerContextComesFromTheKeyStore() throws Exception {
        assertThat(TlsContexts.of(settings(0, keyStore(), "secret")).isServer()).isTrue();
    }

    @Test
    void aWrongPasswordSaysWhichSettingToCheck() throws Exception {
        Path store = keyStore();

        assertThatThrownBy(() -> TlsContexts.of(settings(0, store, "wrong"))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read the TLS key store " + store).hasMessageEndingWith(
                        "check tls.keystore.password in etc/org.outpost.hub.iothub.cfg");
    }
}
