/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusedJarsTest {

    @TempDir
    Path deploy;

    private final RefusedJars installer = new RefusedJars();

    @Test
    void aJarThatIsNoJarIsClaimed() throws Exception {
        Path garbage = deploy.resolve("garbage.jar");
        Files.writeString(garbage, "<html>404</html>");

        assertThat(installer.canHandle(garbage.toFile())).isTrue();
    }

    @Test
    void aPlainJarIsClaimedInsteadOfBeingWrappedAndStartedWithoutAWord() throws Exception {
        Path plain = jar("library.jar", null);

        assertThat(installer.canHandle(plain.toFile())).isTrue();
    }

    @Test
    void aBundleGoesToFileinstallAsBefore() throws Exception {
        Path bundle = jar("sensor.jar", "org.example.sensor");

        assertThat(installer.canHandle(bundle.toFile())).isFalse();
        assertThat(installer.canHandle(deploy.resolve("absent.jar").toFile())).isFalse();
    }

    @Test
    void itIsAskedBeforeKarafsWrapDeployerWhichHasRankingZero() throws Exception {
        String component;
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/" + RefusedJars.class.getName() + ".xml")) {
            assertThat(in).as("the DS descriptor bnd generates").isNotNull();
            component = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(component).contains("name=\"service.ranking\"").contains("type=\"Integer\"")
                .contains("value=\"" + RefusedJars.RANKING + "\"");
        assertThat(RefusedJars.RANKING).isPositive();
    }

    private Path jar(String name, String symbolicName) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path jar = deploy.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        return jar;
    }
}
