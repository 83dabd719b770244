/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.commons.AtomicFiles;

class UpstreamSecretsTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtZ2F0ZXdheQ==";

    @TempDir
    Path etc;

    private final List<String> warnings = new ArrayList<>();

    private static UpstreamSettings settings(String password, String sasKey) {
        return new UpstreamSettings("tcp://127.0.0.1:1885", "", "", password, TopicTemplate.IOT_HUB_MODULE_EVENTS, 1,
                30, 1000, 10000, 10, sasKey, "hub.example", 1, "");
    }

    private void secrets(String content) throws Exception {
        AtomicFiles.writeOwnerOnly(etc.resolve("outpost-secrets/gateway.properties"), content.getBytes(
                StandardCharsets.UTF_8));
    }

    private UpstreamSettings resolve(UpstreamSettings s) {
        return UpstreamSecrets.resolve(s, etc, "", warnings::add);
    }

    @Test
    void theDeviceKeyInTheSecretsFileMakesTheSasTokensAndNothingIsWarned() throws Exception {
        secrets("device.key = " + KEY + "\n");
        UpstreamSettings s = resolve(settings("", ""));
        assertThat(s.sasKey()).isEqualTo(KEY);
        assertThat(s.password()).isEmpty();
        assertThat(warnings).isEmpty();
        assertThat(s.toString()).doesNotContain(KEY);
    }

    @Test
    void anUpstreamPasswordInTheSecretsFileSignsInToAPlainBroker() throws Exception {
        secrets("device.key = " + KEY + "\nupstream.password = pw\n");
        UpstreamSettings s = resolve(settings("", ""));
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.sasKey()).as("a password means user name and password, not SAS").isEmpty();
    }

    @Test
    void aKeyLeftInTheConfigurationStillWorksWithAWarningToMoveItThatShowsNoSecret() throws Exception {
        UpstreamSettings s = resolve(settings("pw", KEY));
        assertThat(s.sasKey()).isEqualTo(KEY);
        assertThat(s.password()).isEqualTo("pw");
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).doesNotContain(KEY, "pw "));
        assertThat(warnings.get(0)).startsWith("configuration org.outpost.upstream holds a secret in sas.key")
                .contains("move it to " + etc.resolve("outpost-secrets/gateway.properties") + " as device.key");
        assertThat(warnings.get(1)).contains("as upstream.password");
    }

    @Test
    void noSecretsFileMeansNoCredentials() {
        UpstreamSettings s = resolve(settings("", ""));
        assertThat(s.sasKey()).isEmpty();
        assertThat(s.password()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSecretsFileOthersMayReadIsNotUsedAndTheOperatorIsTold() throws Exception {
        secrets("device.key = " + KEY + "\n");
        Files.setPosixFilePermissions(etc.resolve("outpost-secrets/gateway.properties"), PosixFilePermissions
                .fromString("rw-r--r--"));
        UpstreamSettings s = resolve(settings("", ""));
        assertThat(s.sasKey()).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("the upstream does not use the gateway's secrets"
                + " file: ").contains("chmod 600");
    }
}
