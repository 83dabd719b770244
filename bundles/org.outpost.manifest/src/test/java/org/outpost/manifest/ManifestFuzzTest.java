/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the deployment manifest parser with what a stolen API token or a broken tool could send: any text is a
 * manifest or refused with a {@link ManifestException} (a status code, a JSON path, a reason), never another
 * exception, a stack overflow or a hang.
 * <p>
 * The corpus (IoT Edge's own manifests among them) is in
 * {@code src/test/resources/org/outpost/manifest/ManifestFuzzTestInputs/}; the build fuzzes for the time below.
 */
class ManifestFuzzTest {

    private static final ManifestParser PARSER = new ManifestParser(new LocationPolicy(Set.of("mvn", "file",
            "https"), List.of(Path.of("/opt/outpost/modules")), List.of("org.outpost.")));

    @FuzzTest(maxDuration = "10s")
    void anyTextIsAManifestOrRefusedWithWhereAndWhy(byte[] input) {
        try {
            PARSER.parse(new String(input, StandardCharsets.UTF_8));
        } catch (ManifestException refused) {
            // Refused, with its JSON path.
        }
    }
}
