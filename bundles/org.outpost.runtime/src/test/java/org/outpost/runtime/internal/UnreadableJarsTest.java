/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreadableJarsTest {

    @TempDir
    Path deploy;

    private final UnreadableJars installer = new UnreadableJars();

    @Test
    void aJarThatIsNoJarIsClaimedWithTheReason() throws Exception {
        Path garbage = deploy.resolve("garbage.jar");
        Files.writeString(garbage, "<html>404</html>");

        assertThat(installer.canHandle(garbage.toFile())).isTrue();
        assertThat(UnreadableJars.problem(garbage.toFile())).startsWith("it cannot be read as a jar (zip) file");
    }

    @Test
    void aReadableJarGoesToFileinstallAsBefore() throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path good = deploy.resolve("library.jar");
        try (OutputStream out = Files.newOutputStream(good); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.flush();
        }

        assertThat(installer.canHandle(good.toFile())).isFalse();
        assertThat(installer.canHandle(deploy.resolve("absent.jar").toFile())).isFalse();
    }
}
