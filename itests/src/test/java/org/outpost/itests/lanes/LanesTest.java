/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runners.Suite;

/** Every integration test runs in exactly one lane: one missing from both would silently never run. */
public class LanesTest {

    @Test
    public void everyIntegrationTestIsInExactlyOneLane() throws IOException {
        Path sources = Path.of(System.getProperty("outpost.itests.sources", "src/test/java"));
        List<String> tests;
        try (Stream<Path> files = Files.walk(sources)) {
            tests = files.filter(p -> p.getFileName().toString().endsWith("IT.java"))
                    .map(p -> sources.relativize(p).toString().replace('/', '.').replaceFirst("\\.java$", ""))
                    .sorted().toList();
        }
        assertThat(tests).as("integration tests under " + sources.toAbsolutePath()).hasSizeGreaterThan(20);
        List<String> inLanes = new ArrayList<>();
        for (Class<?> lane : List.of(SerialLane.class, ParallelLane.class)) {
            for (Class<?> test : lane.getAnnotation(Suite.SuiteClasses.class).value()) {
                inLanes.add(test.getName());
            }
        }
        assertThat(inLanes).as("the lanes' tests (add a new *IT to SerialLane or ParallelLane)")
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(tests);
    }
}
