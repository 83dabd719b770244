/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFilesTest {

    @TempDir
    Path dir;

    @Test
    void aRelativePathIsTakenFromTheFolderTheShellWasStartedIn() throws Exception {
        Files.createDirectories(dir.resolve("karaf-distribution"));
        Files.writeString(dir.resolve("karaf-distribution/demo-deployment.json"), "{}");

        assertThat(UserFiles.readString("karaf-distribution/demo-deployment.json", dir.toString())).isEqualTo("{}");
        assertThat(UserFiles.resolve("../x.json", dir.resolve("karaf-distribution").toString()))
                .isEqualTo(dir.resolve("x.json"));
    }

    @Test
    void anAbsolutePathIsTakenAsItIs() throws Exception {
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, "{\"a\": 1}");
        assertThat(UserFiles.readString(file.toString(), "/elsewhere")).isEqualTo("{\"a\": 1}");
    }

    @Test
    void aMissingFileNamesTheAbsolutePathTriedAndWhereItWasTakenFrom() {
        assertThatThrownBy(() -> UserFiles.readString("nope.json", dir.toString()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("no file " + dir.resolve("nope.json")
                        + " ('nope.json' taken from the folder the shell was started in)");
        assertThatThrownBy(() -> UserFiles.readString("nope.json", null))
                .hasMessageContaining("taken from the instance's folder")
                .hasMessageContaining("give an absolute path");
        assertThatThrownBy(() -> UserFiles.readString(dir.resolve("nope.json").toString(), null))
                .hasMessage("no file " + dir.resolve("nope.json"));
    }

    @Test
    void aFolderIsNotAFileAndSaysWhy() {
        assertThatThrownBy(() -> UserFiles.readString(dir.toString(), null)).hasMessageStartingWith("cannot read "
                + dir);
    }
}
