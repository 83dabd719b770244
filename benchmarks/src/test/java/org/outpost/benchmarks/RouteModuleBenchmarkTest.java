/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleClient;

class RouteModuleBenchmarkTest {

    @Test
    void theJavaModuleIsABundleModuleWithItsInputHandler(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("java-transform.jar");
        RouteModuleBenchmark.writeJavaModule(jar);
        try (JarFile f = new JarFile(jar.toFile())) {
            var a = f.getManifest().getMainAttributes();
            assertThat(a.getValue("Outpost-Module")).isEqualTo("java-transform");
            assertThat(a.getValue("Service-Component")).isEqualTo("OSGI-INF/java-transform.xml");
            assertThat(new String(f.getInputStream(f.getEntry("OSGI-INF/java-transform.xml")).readAllBytes()))
                    .contains("org.outpost.benchmarks.JavaTransform", "outpost.module.input\" type=\"String\" value=\"in\"");
            assertThat(f.getEntry("org/outpost/benchmarks/JavaTransform.class")).isNotNull();
        }
    }

    /** The Java module does what the route module's transform does: {"via":...,<the rest>}, properties kept. */
    @Test
    void theJavaTransformPrefixesTheBodyAndKeepsTheProperties() throws Exception {
        List<Message> sent = new ArrayList<>();
        ModuleClient client = new ModuleClient() {
            @Override
            public String moduleId() {
                return "java-transform";
            }

            @Override
            public String deviceId() {
                return "d";
            }

            @Override
            public void send(String output, Message message) {
                assertThat(output).isEqualTo("out");
                sent.add(message);
            }

            @Override
            public CompletionStage<Void> sendAsync(String output, Message message) {
                send(output, message);
                return CompletableFuture.completedFuture(null);
            }

            public ThreadFactory threadFactory() {
                return Thread::new;
            }
        };
        JavaTransform t = new JavaTransform();
        Field f = JavaTransform.class.getDeclaredField("client");
        f.setAccessible(true);
        f.set(t, client);
        t.onMessage(Message.builder().json("{\"seq\":1,\"sentAt\":5,\"pad\":\"xx\"}").property("seq", "1").build());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).bodyAsString()).isEqualTo("{\"via\":\"java\",\"seq\":1,\"sentAt\":5,\"pad\":\"xx\"}");
        assertThat(sent.get(0).properties()).containsEntry("seq", "1");
        assertThat(RouteModuleBenchmark.ROUTE_MODULE).contains("simple: '{\"via\":\"camel\",${substring(1)}'");
        assertThat(Files.exists(jarOf())).isTrue();
    }

    private static Path jarOf() throws Exception {
        return Path.of(JavaTransform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
