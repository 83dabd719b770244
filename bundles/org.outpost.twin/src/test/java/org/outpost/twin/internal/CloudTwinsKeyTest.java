/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.commons.AtomicFiles;

/** Where the twins find the device key: the gateway's owner-only secrets file, or (still) their configuration. */
class CloudTwinsKeyTest {

    @TempDir
    Path etc;

    private static CloudTwins.Config config(String key, String secretsFile) {
        return Fakes.fake(CloudTwins.Config.class, Map.of("key", args -> key, "secrets_file", args -> secretsFile));
    }

    private Path secrets(String content) throws Exception {
        Path file = etc.resolve("outpost-secrets/gateway.properties");
        AtomicFiles.writeOwnerOnly(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void theKeyComesFromTheSecretsFileWhenTheConfigurationHasNone() throws Exception {
        secrets("device.key = a2V5LWluLWZpbGU=\n");
        assertThat(CloudTwins.deviceKey(config("", ""), etc)).isEqualTo("a2V5LWluLWZpbGU=");
    }

    @Test
    void aKeyLeftInTheConfigurationStillWorks() throws Exception {
        secrets("device.key = a2V5LWluLWZpbGU=\n");
        assertThat(CloudTwins.deviceKey(config("a2V5LWluLWNmZw==", ""), etc)).isEqualTo("a2V5LWluLWNmZw==");
    }

    @Test
    void noKeyAnywhereSaysWhereToPutIt() {
        assertThatThrownBy(() -> CloudTwins.deviceKey(config("", ""), etc)).hasMessage("org.outpost.twin: no device"
                + " key: put the key from hub:device-create in " + etc.resolve("outpost-secrets/gateway.properties")
                + " as device.key = ... (owner-only: chmod 600)");
    }

    @Test
    void aSecretsFileOthersMayReadIsRefused() throws Exception {
        Path file = secrets("device.key = a2V5LWluLWZpbGU=\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertThatThrownBy(() -> CloudTwins.deviceKey(config("", ""), etc)).hasMessageStartingWith(
                "org.outpost.twin: cannot read the gateway's secrets: " + file).hasMessageContaining("chmod 600");
    }

    @Test
    void theConfigurationNamesAnotherSecretsFile() throws Exception {
        Path file = etc.resolve("vault/gw.properties");
        AtomicFiles.writeOwnerOnly(file, "device.key=b3RoZXI=".getBytes(StandardCharsets.UTF_8));
        assertThat(CloudTwins.deviceKey(config("", "vault/gw.properties"), etc)).isEqualTo("b3RoZXI=");
    }
}
