/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySecretsTest {

    @TempDir
    Path etc;

    @Test
    void theDeviceKeyIsReadFromTheDefaultFileInEtc() throws Exception {
        AtomicFiles.writeOwnerOnly(etc.resolve(GatewaySecrets.DEFAULT_FILE), "device.key = a2V5\nupstream.password =\n"
                .getBytes(StandardCharsets.UTF_8));
        GatewaySecrets secrets = GatewaySecrets.read(etc, "");
        assertThat(secrets.file()).isEqualTo(etc.resolve("outpost-secrets/gateway.properties"));
        assertThat(secrets.get(GatewaySecrets.DEVICE_KEY)).contains("a2V5");
        assertThat(secrets.get(GatewaySecrets.UPSTREAM_PASSWORD)).as("empty is none").isEmpty();
    }

    @Test
    void anotherFileMayBeNamedAndNoFileMeansNoSecrets() throws Exception {
        Path elsewhere = etc.resolve("../vault/gw.properties");
        AtomicFiles.writeOwnerOnly(elsewhere, "device.key=b3RoZXI=".getBytes(StandardCharsets.UTF_8));
        assertThat(GatewaySecrets.read(etc, elsewhere.toString()).get(GatewaySecrets.DEVICE_KEY)).contains("b3RoZXI=");
        assertThat(GatewaySecrets.read(etc, "absent.properties").get(GatewaySecrets.DEVICE_KEY)).isEmpty();
    }

    @Test
    void aSecretsFileOthersMayReadIsRefused() throws Exception {
        Path file = etc.resolve(GatewaySecrets.DEFAULT_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "device.key=a2V5");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThatThrownBy(() -> GatewaySecrets.read(etc, "")).hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void theWarningForASecretLeftInAConfigurationSaysWhereToMoveIt() throws Exception {
        GatewaySecrets secrets = GatewaySecrets.read(etc, "");
        assertThat(secrets.moveWarning("org.outpost.twin", "key", GatewaySecrets.DEVICE_KEY)).isEqualTo(
                "configuration org.outpost.twin holds a secret in key: etc/org.outpost.twin.cfg and ConfigAdmin's copy"
                        + " of it can be read by every process running as the gateway's user (process modules too)."
                        + " It is used for now; move it to " + etc.resolve("outpost-secrets/gateway.properties")
                        + " as device.key = ... (chmod 600), then empty key in etc/org.outpost.twin.cfg");
    }
}
