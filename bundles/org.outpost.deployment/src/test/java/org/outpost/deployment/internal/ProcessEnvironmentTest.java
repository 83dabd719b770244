/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessEnvironmentTest {

    private static final Set<String> INHERITED = Set.of("PATH", "HOME");

    @TempDir
    Path dir;

    @Test
    void aProcessModuleKeepsOnlyTheGatewaysVariablesItInheritsBesideItsOwn() throws Exception {
        String gatewayOnly = aVariableOfTheGatewayNotInherited();
        Path seen = dir.resolve("env");
        ProcessModule module = new ProcessModule("m", List.of("/bin/sh", "-c", "env > " + seen), Map.of("LEVEL", "3",
                "PATH", "/usr/bin:/bin"), dir.resolve("m"), 1 << 16, null, INHERITED);
        module.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(seen) && module.exitCode() != null);

        List<String> env = Files.readAllLines(seen);
        assertThat(env).contains("LEVEL=3", "PATH=/usr/bin:/bin").noneMatch(l -> l.startsWith(gatewayOnly + "="));
        assertThat(env).anyMatch(l -> l.startsWith("HOME="));
    }

    @Test
    void withoutAnAllowListItsProcessKeepsTheWholeEnvironmentAsAContainerEngineDoes() {
        String gatewayOnly = aVariableOfTheGatewayNotInherited();
        ProcessModule engine = new ProcessModule("c", List.of("/bin/true"), Map.of("LEVEL", "3"), dir.resolve("c"),
                1 << 16, null, null);
        ProcessBuilder pb = new ProcessBuilder("/bin/true");
        engine.environment(pb);

        assertThat(pb.environment()).containsKey(gatewayOnly).containsEntry("LEVEL", "3");
    }

    /** @return a variable this JVM was started with that the allow-list leaves out (there is always one: PWD, ...) */
    private static String aVariableOfTheGatewayNotInherited() {
        Optional<String> name = System.getenv().keySet().stream().filter(k -> !INHERITED.contains(k)).findFirst();
        assertThat(name).as("the test JVM's environment has a variable besides PATH and HOME").isPresent();
        return name.get();
    }
}
