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
        assertThat(made).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Files.readString(file)).isEqualTo(made + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(TokenFile.readOrCreate(file)).isEqualTo(made);
        assertThat(dir.resolve("outpost/hub")).isDirectoryNotContaining(p -> p.toString().endsWith(".tmp"));
    }

    @Test
    void aTokenAnOperatorWroteIsKeptWithoutItsNewline() throws Exception {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "mine\n");
        assertThat(TokenFile.readOrCreate(file)).isEqualTo("mine");
    }

    @Test
    void anEmptyFileGivesAnEmptyTokenForTheFilterToRefuse() throws Exception {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "\n");
        assertThat(TokenFile.readOrCreate(file)).isEmpty();
        assertThat(ApiToken.of(TokenFile.readOrCreate(file), file.toString()).matches("")).isFalse();
    }
}
