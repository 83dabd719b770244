/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderTest {

    @TempDir
    Path deploy;

    @Test
    void aPlainJarIsRefusedSayingItIsNoBundleAndWhatToDoInstead() throws Exception {
        Path plain = jar("commons-lang.jar", null);

        assertThat(DeployFolder.refusal(plain)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("it is a plain jar, not an OSGi bundle (its manifest has no Bundle-SymbolicName)")
                .contains("so it holds no module").contains("bnd")
                .endsWith("bundle:install -s wrap:" + plain.toUri()));
    }

    @Test
    void aJarWithoutManifestIsAPlainJar() throws Exception {
        Path bare = deploy.resolve("bare.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bare))) {
            zip.putNextEntry(new ZipEntry("a/B.class"));
            zip.closeEntry();
        }

        assertThat(DeployFolder.refusal(bare)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("it is a plain jar, not an OSGi bundle (it has no META-INF/MANIFEST.MF)"));
    }

    @Test
    void aFileThatIsNoJarIsRefusedWithTheReason() throws Exception {
        Path garbage = deploy.resolve("garbage.jar");
        Files.writeString(garbage, "<html>404</html>");

        assertThat(DeployFolder.refusal(garbage)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("it cannot be read as a jar (zip) file").endsWith("replace it with the module's jar"));
    }

    @Test
    void bundlesAndOtherFilesAreNotRefused() throws Exception {
        Path bundle = jar("sensor.jar", "org.example.sensor");
        Path features = deploy.resolve("features.xml");
        Files.writeString(features, "<features/>");

        assertThat(DeployFolder.refusal(bundle)).isEmpty();
        assertThat(DeployFolder.refusal(features)).isEmpty();
        assertThat(DeployFolder.refusal(deploy.resolve("absent.jar"))).isEmpty();
    }

    @Test
    void aRouteFileIsRefusedOnlyWhenItsNameIsNoModuleId() throws Exception {
        Path good = deploy.resolve("opcua-reader.camel.yaml");
        Path bad = deploy.resolve("opcua reader.camel.xml");
        Files.writeString(good, "- from: {}");
        Files.writeString(bad, "<routes/>");

        assertThat(DeployFolder.refusal(good)).isEmpty();
        assertThat(DeployFolder.refusal(bad)).hasValueSatisfying(r -> assertThat(r).startsWith("'opcua reader' is not"
                + " a module id, so the route file makes no module: name it <module>.camel.yaml"));
    }

    @Test
    void theRefusedJarsOfAFolderAreListedByName() throws Exception {
        jar("b-plain.jar", null);
        jar("sensor.jar", "org.example.sensor");
        Files.writeString(deploy.resolve("a-garbage.jar"), "not a zip");

        assertThat(DeployFolder.refused(deploy)).extracting(r -> r.jar().getFileName().toString())
                .containsExactly("a-garbage.jar", "b-plain.jar");
        assertThat(DeployFolder.refused(deploy.resolve("missing"))).isEmpty();
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
