/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.outpost.api.runtime.ModuleState;
import org.outpost.itests.broken.ThrowingComponent;

/** Modules come and go through the deploy/ folder; a broken one is reported and harms no other. */
public class HotDeployIT extends OutpostTestSupport {

    private static Path deploy() {
        return Path.of(System.getProperty("karaf.home"), "deploy");
    }

    @Test
    public void aModuleDroppedIntoDeployRunsAndDeletingItRemovesIt() throws Exception {
        Path jar = deploy().resolve("heartbeat.jar");
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-hot-deploy")) {
            Files.copy(Path.of(System.getProperty("outpost.heartbeat.jar")), jar);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runtime.module("heartbeat"))
                    .hasValueSatisfying(hb -> {
                        assertThat(hb.state()).isEqualTo(ModuleState.RUNNING);
                        assertThat(hb.sent()).isPositive();
                    }));
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("heartbeat").size() >= 3);
            assertThat(sub.from("heartbeat").get(0).body()).isEqualTo("{\"beat\":1}");
            assertThat(shell("edge:list")).containsPattern("heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged\\s*\\|\\s*running");

            Files.delete(jar);
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("heartbeat").isEmpty());
            assertThat(shell("edge:list")).doesNotContain("heartbeat");
            assertThat(runtime.module("simulated-temperature-sensor").orElseThrow().state())
                    .isEqualTo(ModuleState.RUNNING);
        }
    }

    @Test
    public void aModuleWhoseComponentFailsToActivateIsReportedWithTheError() throws Exception {
        Path jar = deploy().resolve("throwing-module.jar");
        writeThrowingModule(jar);
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runtime.module("throwing"))
                    .hasValueSatisfying(m -> {
                        assertThat(m.state()).isEqualTo(ModuleState.FAILED);
                        assertThat(m.reason()).startsWith("component throwing failed to activate:")
                                .contains("sensor hardware not found on /dev/ttyUSB7");
                    }));
            assertThat(shell("edge:list")).containsPattern("throwing\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged\\s*\\|\\s*failed");
            assertThat(runtime.module("temperature-filter").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        } finally {
            Files.delete(jar);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("throwing").isEmpty());
    }

    /**
     * Writes the bundle of a module {@code throwing} whose one component throws when it activates (its "hardware" is
     * missing): it installs and starts, and never runs.
     */
    static void writeThrowingModule(Path jar) throws IOException {
        Manifest manifest = manifest("throwing-module", "throwing");
        manifest.getMainAttributes().putValue("Service-Component", "OSGI-INF/throwing.xml");
        String clazz = "org/outpost/itests/broken/ThrowingComponent.class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out,
                manifest)) {
            jarOut.putNextEntry(new JarEntry("OSGI-INF/throwing.xml"));
            jarOut.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"throwing\""
                    + " immediate=\"true\" activate=\"activate\"><implementation"
                    + " class=\"org.outpost.itests.broken.ThrowingComponent\"/></scr:component>")
                    .getBytes(StandardCharsets.UTF_8));
            jarOut.putNextEntry(new JarEntry(clazz));
            try (InputStream in = ThrowingComponent.class.getClassLoader().getResourceAsStream(clazz)) {
                in.transferTo(jarOut);
            }
        }
    }

    private static Manifest manifest(String symbolicName, String moduleId) {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Outpost-Module", moduleId);
        return manifest;
    }

    @Test
    public void aModuleThatDoesNotResolveIsReportedWithTheReason() throws Exception {
        Path jar = deploy().resolve("broken-module.jar");
        Manifest manifest = manifest("broken-module", "broken");
        manifest.getMainAttributes().putValue("Import-Package", "com.example.does.not.exist");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            // a bundle with only its manifest
        }
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runtime.module("broken"))
                    .hasValueSatisfying(broken -> {
                        assertThat(broken.state()).isEqualTo(ModuleState.FAILED);
                        assertThat(broken.reason())
                                .isEqualTo("does not resolve: missing package com.example.does.not.exist");
                    }));
            assertThat(shell("edge:list")).containsPattern("broken\\s*\\|\\s*bundle\\s*\\|\\s*unmanaged\\s*\\|\\s*failed")
                    .contains("missing package com.example");
            assertThat(runtime.module("temperature-filter").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        } finally {
            Files.delete(jar);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("broken").isEmpty());
    }
}
