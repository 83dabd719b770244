/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.operator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFoldersTest {

    @TempDir
    Path home;

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void dataAndTheSecretsFolderBecomeTheOwnersAloneAndWhatIsInsideWithThem() throws Exception {
        Path data = Files.createDirectories(home.resolve("data/artemis"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x"))).getParent();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path journal = Files.writeString(data.resolve("artemis/journal-1.amq"), "messages");
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-r--r--"));
        Path secrets = Files.createDirectories(home.resolve("etc/outpost-secrets"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path key = Files.writeString(home.resolve("etc/operator.key"), "key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        List<Path> narrowed = PrivateFolders.restrict(List.of(data, secrets, key, home.resolve("absent")));

        assertThat(narrowed).containsExactly(data, secrets, key);
        assertThat(perms(data)).isEqualTo("rwx------");
        assertThat(perms(secrets)).isEqualTo("rwx------");
        assertThat(perms(key)).isEqualTo("rw-------");
        assertThat(home.resolve("absent")).doesNotExist();
        assertThat(Files.readString(journal)).as("the contents are untouched").isEqualTo("messages");
    }

    @Test
    void foldersThatAreTheOwnersAlreadyAreLeftAlone() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        assertThat(PrivateFolders.restrict(List.of(data))).isEmpty();
    }
}
