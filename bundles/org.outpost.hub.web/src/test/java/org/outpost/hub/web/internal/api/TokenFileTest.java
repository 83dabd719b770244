/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void aNewTokenIsWrittenForTheOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = dir.resolve("outpost/hub/api-token");
        String made = TokenFile.readOrCreate(file);
        assertThat(made).hasSize(32).matches("[A-Za-z0-9_-]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(TokenFile.readOrCreate(file)).isEqualTo(made);
    }

    @Test
    void aTokenAnOperatorWroteIsKeptWithoutItsNewline() throws Exception {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "mine\n");
        assertThat(TokenFile.readOrCreate(file)).isEqualTo("mine");
    }
}
