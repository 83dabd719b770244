/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledTest {

    @TempDir
    Path dir;

    @Test
    void whatWasInstalledIsKnownAcrossRestartsByItsKeyAndValue() throws Exception {
        Installed installed = new Installed(dir.resolve("deployment/installed-bundles"));
        installed.add("mvn:org.acme/pump/1.0", "42");
        installed.add("mvn:org.acme/valve/1.0", "43");
        installed.remove("mvn:org.acme/valve/1.0");

        Installed again = new Installed(dir.resolve("deployment/installed-bundles"));
        assertThat(again.has("mvn:org.acme/pump/1.0", "42")).isTrue();
        assertThat(again.has("mvn:org.acme/pump/1.0", "7")).isFalse();
        assertThat(again.has("mvn:org.acme/valve/1.0", "43")).isFalse();
        assertThat(Files.readString(dir.resolve("deployment/installed-bundles")))
                .isEqualTo("mvn:org.acme/pump/1.0\t42\n");
    }

    @Test
    void aNoteThatCannotBeKeptIsAnErrorAndNotTakenAsInstalled() throws IOException {
        Files.writeString(dir.resolve("deployment"), "a file where the folder should be");
        Installed installed = new Installed(dir.resolve("deployment/installed-bundles"));

        assertThatThrownBy(() -> installed.add("mvn:org.acme/pump/1.0", "42")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot note what the deployment installed in");
        assertThat(installed.has("mvn:org.acme/pump/1.0", "42")).isFalse();
    }

    @Test
    void anUnreadableRecordTakesNothingAsInstalled() throws IOException {
        Path file = Files.createDirectories(dir.resolve("installed-bundles"));

        assertThat(new Installed(file).has("x", "1")).isFalse();
    }
}
