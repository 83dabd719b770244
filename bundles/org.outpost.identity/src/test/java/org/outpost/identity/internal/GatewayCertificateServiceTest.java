/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.config.ConfigValues;

class GatewayCertificateServiceTest {

    @TempDir
    Path data;

    private GatewayCertificateService activate() {
        return new GatewayCertificateService(TestSupport.context(data), TestSupport.runtime("gw-1"),
                ConfigValues.defaults(IdentitySettings.Config.class), Map.of());
    }

    @Test
    void activationLeavesTheCaAndKeyStoreUnderKarafDataReadyForServers() {
        GatewayCertificateService service = activate();
        try {
            Path ca = data.resolve("outpost/ca");
            assertThat(service.caCertificateFile()).isEqualTo(ca.resolve("ca.pem"));
            assertThat(service.serverKeyStore()).isEqualTo(ca.resolve("server.p12")).exists();
            assertThat(service.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----")
                    .isEqualTo(readString(service.caCertificateFile()));
            assertThat(service.serverHostNames()).startsWith("localhost", "127.0.0.1");
            assertThat(service.serverNotAfter()).isBetween(Instant.now().plus(Duration.ofDays(29)),
                    Instant.now().plus(Duration.ofDays(31)));
            assertThat(service.caNotAfter()).isAfter(service.serverNotAfter());
            assertThat(new String(service.serverKeyStorePassword())).isEqualTo(readString(ca.resolve(
                    "server.p12.password")).trim());
        } finally {
            service.deactivate();
        }
    }

    @Test
    void anUnusableCaFolderFailsTheActivationSayingWhatToDo() throws Exception {
        activate().deactivate();
        Files.writeString(data.resolve("outpost/ca/ca.key.pem"), "garbage");

        assertThatThrownBy(this::activate).hasMessageStartingWith("The gateway's certificate authority cannot start: ")
                .hasMessageContaining("ca.key.pem").hasMessageContaining("delete the folder");
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
