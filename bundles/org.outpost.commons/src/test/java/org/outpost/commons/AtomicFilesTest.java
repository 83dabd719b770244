/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheWholeFileAndLeavesNoTemporaryFileBehind() throws Exception {
        Path file = dir.resolve("state/current.json");
        AtomicFiles.write(file, "{\"a\": 1, \"long\": \"" + "x".repeat(10_000) + "\"}");
        AtomicFiles.write(file, "{\"b\": 2}");

        assertThat(Files.readString(file)).isEqualTo("{\"b\": 2}");
        assertThat(dir.resolve("state")).isDirectoryContaining(p -> p.equals(file))
                .isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void aStaleTemporaryFileFromACrashIsReplaced() throws Exception {
        Path file = dir.resolve("twin.json");
        Files.writeString(dir.resolve("twin.json.tmp"), "half a wri");
        AtomicFiles.write(file, "whole".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(file)).isEqualTo("whole");
    }

    @Test
    void ownerOnlyFilesAreNeverReadableByOthers() throws Exception {
        Path file = dir.resolve("operator.key");
        AtomicFiles.writeOwnerOnly(file, "secret".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("secret");
    }
}
