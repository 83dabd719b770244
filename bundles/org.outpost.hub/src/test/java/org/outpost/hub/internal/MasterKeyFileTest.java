/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartCreatesAnOwnerOnlyKeyThatLaterStartsRead() throws Exception {
        Path file = dir.resolve("etc/outpost-master.key");
        MasterKeyFile.Loaded created = MasterKeyFile.loadOrCreate(file, new SecureRandom());
        assertThat(created.created()).isTrue();
        assertThat(created.key()).hasSize(SecretBox.KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).isEqualTo(created.key());

        MasterKeyFile.Loaded read = MasterKeyFile.loadOrCreate(file, new SecureRandom());
        assertThat(read.created()).isFalse();
        assertThat(read.key()).isEqualTo(created.key());
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedWithWhatToDo() throws Exception {
        Path file = dir.resolve("outpost-master.key");
        MasterKeyFile.loadOrCreate(file, new SecureRandom());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKeyFile.loadOrCreate(file, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the hub's master key cannot be used: " + file + " holds a secret but its"
                        + " permissions are rw-r--r--")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void aMalformedKeyFileIsRefusedRatherThanReplaced() throws Exception {
        Path file = dir.resolve("outpost-master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> MasterKeyFile.loadOrCreate(file, new SecureRandom())).hasMessage("the hub's master"
                + " key " + file + " is malformed: it holds 16 bytes, not 32. Put back the file this hub (or another"
                + " node of its cluster) created: without it the keys in the database cannot be read");
        Files.writeString(file, "not base64!");
        assertThatThrownBy(() -> MasterKeyFile.loadOrCreate(file, new SecureRandom())).hasMessageContaining(
                "it is not Base64");
        assertThat(Files.readString(file)).isEqualTo("not base64!");
    }

    @Test
    void aKeyFileThatCannotBeCreatedSaysWhereAndWhatToDo() throws Exception {
        Path blocked = Files.writeString(dir.resolve("etc"), "a file, not a folder");
        Path file = blocked.resolve("outpost-master.key");
        assertThatThrownBy(() -> MasterKeyFile.loadOrCreate(file, new SecureRandom())).hasMessageStartingWith(
                "cannot create the hub's master key " + file).hasMessageEndingWith("or set master.key.file in"
                        + " etc/org.outpost.hub.cfg");
    }
}
