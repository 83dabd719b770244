/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.outpost.api.runtime.ModuleState;

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
            assertThat(shell("edge:list")).containsPattern("heartbeat\\s*\\|\\s*bundle\\s*\\|\\s*running");

            Files.delete(jar);
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("heartbeat").isEmpty());
            assertThat(shell("edge:list")).doesNotContain("heartbeat");
            assertThat(runtime.module("simulated-temperature-sensor").orElseThrow().state())
                    .isEqualTo(ModuleState.RUNNING);
        }
    }

    @Test
    public void aModuleThatDoesNotResolveIsReportedWithTheReason() throws Exception {
        Path jar = deploy().resolve("broken-module.jar");
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "broken-module");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Outpost-Module", "broken");
        a.putValue("Import-Package", "com.example.does.not.exist");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out,
                manifest)) {
            // a bundle with only its manifest
        }
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(runtime.module("broken"))
                    .hasValueSatisfying(broken -> {
                        assertThat(broken.state()).isEqualTo(ModuleState.FAILED);
                        assertThat(broken.reason()).isEqualTo("does not resolve: missing package com.example.does.not.exist");
                    }));
            assertThat(shell("edge:list")).containsPattern("broken\\s*\\|\\s*bundle\\s*\\|\\s*failed")
                    .contains("missing package com.example");
            assertThat(runtime.module("temperature-filter").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        } finally {
            Files.delete(jar);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("broken").isEmpty());
    }
}
