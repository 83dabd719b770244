/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;

class DeploymentOwnedJarsTest {

    @TempDir
    Path deploy;

    /** heartbeat is the deployment's; sensor runs unmanaged (from deploy/). */
    private final Map<String, ModuleInfo> modules = Map.of(
            "heartbeat", new ModuleInfo("heartbeat", "bundle", ModuleState.RUNNING, 12, "1.0", true, 0, 0, ""),
            "sensor", new ModuleInfo("sensor", "bundle", ModuleState.RUNNING, 13, "1.0", false, 0, 0, ""));

    private final DeploymentOwnedJars installer = new DeploymentOwnedJars(new EdgeRuntime() {
        @Override
        public String deviceId() {
            return "gw";
        }

        @Override
        public List<ModuleInfo> modules() {
            return List.copyOf(modules.values());
        }

        @Override
        public Optional<ModuleInfo> module(String name) {
            return Optional.ofNullable(modules.get(name));
        }

        @Override
        public void inject(String module, String output, org.outpost.api.message.Message message) {
            throw new UnsupportedOperationException("not used");
        }
    });

    @Test
    void aJarOfAModuleTheDeploymentOwnsIsClaimedAndLeftAlone() throws Exception {
        File jar = jar("heartbeat.jar", "heartbeat");

        assertThat(installer.canHandle(jar)).isTrue();
        installer.install(jar);
        installer.uninstall(jar);
        assertThat(jar).exists();
    }

    @Test
    void jarsOfOtherModulesAndPlainJarsGoToFileinstallAsBefore() throws Exception {
        assertThat(installer.canHandle(jar("sensor.jar", "sensor"))).as("an unmanaged module").isFalse();
        assertThat(installer.canHandle(jar("new.jar", "new-module"))).as("a module nobody runs yet").isFalse();
        assertThat(installer.canHandle(jar("library.jar", null))).as("not a module").isFalse();
        Path garbage = deploy.resolve("garbage.jar");
        Files.writeString(garbage, "not a zip");
        assertThat(installer.canHandle(garbage.toFile())).as("not a jar at all").isFalse();
        assertThat(installer.canHandle(deploy.resolve("feature.xml").toFile())).isFalse();
    }

    private File jar(String name, String module) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (module != null) {
            mf.getMainAttributes().putValue(EdgeModule.HEADER, module);
        }
        Path file = deploy.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.flush();
        }
        return file.toFile();
    }
}
