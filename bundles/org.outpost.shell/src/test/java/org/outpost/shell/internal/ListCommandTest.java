/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleResources;
import org.outpost.api.runtime.ModuleState;
import org.outpost.api.runtime.ModuleUsage;

class ListCommandTest {

    private static String run(boolean json) throws Exception {
        ListCommand command = new ListCommand();
        EdgeRuntime runtime = (EdgeRuntime) Proxy.newProxyInstance(EdgeRuntime.class.getClassLoader(),
                new Class<?>[] {EdgeRuntime.class}, (p, m, args) -> m.getName().equals("modules") ? List.of(
                        new ModuleInfo("filter", "bundle", ModuleState.RUNNING, 104, "1.0", false, 3, 4, ""),
                        new ModuleInfo("script", "container", ModuleState.RUNNING, -1, "1.0", true, 0, 0, ""),
                        new ModuleInfo("sensor", "bundle", ModuleState.RUNNING, 103, "1.0", false, 4, 0, ""))
                        : null);
        ModuleResources resources = new ModuleResources() {
            @Override
            public List<ModuleUsage> usage() {
                return List.of(new ModuleUsage("filter", ModuleUsage.JVM, 2.5, 12.5, 1 << 20, -1, 1),
                        new ModuleUsage("script", ModuleUsage.OS, 7, 3.24, -1, 4L << 20, 2));
            }

            @Override
            public Optional<ModuleUsage> usage(String module) {
                return Optional.empty();
            }

            @Override
            public Measurement measure(String module) {
                return () -> {
                };
            }
        };
        set(command, "runtime", runtime);
        set(command, "resources", resources);
        set(command, "json", json);
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    @Test
    void eachModuleShowsItsCpuShareAndTheMemoryOfItsProcesses() throws Exception {
        String table = run(false);

        assertThat(table).contains("CPU %", "Memory").containsPattern("filter\\s*\\|.*\\|\\s*12\\.5\\s*\\|\\s*-\\s*\\|")
                .containsPattern("script\\s*\\|.*\\|\\s*3\\.2\\s*\\|\\s*4\\.0 MiB\\s*\\|")
                .containsPattern("sensor\\s*\\|.*\\|\\s*-\\s*\\|\\s*-\\s*\\|");
    }

    @Test
    void jsonGivesEachModuleItsUsage() throws Exception {
        String json = run(true);

        assertThat(json).contains("\"name\" : \"filter\"", "\"cpuPercent\" : 12.5", "\"memoryBytes\" : 4194304",
                "\"usage\" : null");
    }
}
