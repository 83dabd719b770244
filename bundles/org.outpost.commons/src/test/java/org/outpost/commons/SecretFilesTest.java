/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void anOwnerOnlyFileIsRead() throws Exception {
        Path file = dir.resolve("secret");
        AtomicFiles.writeOwnerOnly(file, "s3cret".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(SecretFiles.read(file), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    }

    @Test
    void aFileTheGroupOrOthersMayReadIsRefusedWithWhatToDo() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> SecretFiles.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + " holds a secret but its permissions are rw-r-----: others may have read it. Make"
                        + " it the owner's alone (chmod 600 " + file + "), and replace the secret if someone else"
                        + " could have copied it");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-----w-"));
        assertThatThrownBy(() -> SecretFiles.requireOwnerOnly(file)).hasMessageContaining("rw-----w-");
    }

    @Test
    void aMissingFileIsNamedAndAMissingPropertiesFileHasNoEntries() throws Exception {
        Path file = dir.resolve("absent");
        assertThatThrownBy(() -> SecretFiles.read(file)).isInstanceOf(NoSuchFileException.class)
                .hasMessage(file.toString());
        assertThat(SecretFiles.readProperties(file)).isEmpty();
    }

    @Test
    void aLinkIsNotTakenForTheSecretFile() throws Exception {
        Path target = dir.resolve("elsewhere");
        AtomicFiles.writeOwnerOnly(target, new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("secret"), target);
        assertThatThrownBy(() -> SecretFiles.read(link)).hasMessageContaining("is not a regular file");
    }

    @Test
    void propertiesAreReadTrimmed() throws Exception {
        Path file = dir.resolve("gateway.properties");
        AtomicFiles.writeOwnerOnly(file, "# the device key\ndevice.key = abc= \nupstream.password=pw\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(SecretFiles.readProperties(file)).containsOnly(java.util.Map.entry("device.key", "abc="),
                java.util.Map.entry("upstream.password", "pw"));
    }

    @Test
    void aFolderIsMadeTheOwnersAloneAndSoAreItsContentsToOthers() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxr-xr-x")));
        assertThat(SecretFiles.restrictFolder(data)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(SecretFiles.restrictFolder(data)).as("already so").isFalse();

        Path created = dir.resolve("a/b");
        SecretFiles.restrictFolder(created);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rwx------");
    }

    @Test
    void aFileIsNarrowedToItsOwnerKeepingWhatTheOwnerHad() throws Exception {
        Path file = dir.resolve("operator.key");
        Files.writeString(file, "k");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(SecretFiles.restrictFile(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretFiles.requireOwnerOnly(file);
    }
}
