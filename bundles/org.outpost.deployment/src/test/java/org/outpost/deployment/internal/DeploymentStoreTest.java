/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.manifest.LocationPolicy;
import org.outpost.manifest.ManifestParser;

class DeploymentStoreTest {

    private static final String MANIFEST = "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {"
            + "\"$version\": 7, \"schemaVersion\": \"1.1\", \"modules\": {\"pump\": {\"type\": \"bundle\","
            + " \"settings\": {\"location\": \"mvn:org.acme/pump/1.0\"}}}}}}}";

    @TempDir
    Path dir;

    private final ManifestParser parser = new ManifestParser(new LocationPolicy(Set.of("mvn"), List.of(),
            List.of()));

    @Test
    void aGatewayThatNeverHadADeploymentStartsFromAnEmptyOne() throws Exception {
        DeploymentStore store = new DeploymentStore(dir.resolve("deployment"));

        assertThat(store.hasCurrent()).isFalse();
        assertThat(store.readCurrent()).isNull();
        assertThat(store.loadCurrent(parser).modules()).isEmpty();
        assertThat(store.readVersion()).isZero();
    }

    @Test
    void theLastGoodDeploymentIsKeptAsGivenAndReadBackAfterARestart() throws Exception {
        new DeploymentStore(dir.resolve("deployment")).saveCurrent(MANIFEST);

        DeploymentStore afterRestart = new DeploymentStore(dir.resolve("deployment"));
        assertThat(afterRestart.hasCurrent()).isTrue();
        assertThat(afterRestart.readCurrent()).isEqualTo(MANIFEST);
        assertThat(afterRestart.loadCurrent(parser).modules()).containsOnlyKeys("pump");
        try (var files = Files.list(dir.resolve("deployment"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("current.json");
        }
    }

    @Test
    void aLastDeploymentThatCannotBeReadIsReplacedByAnEmptyOne() throws Exception {
        DeploymentStore store = new DeploymentStore(dir);
        store.saveCurrent("{\"modulesContent\": ");

        assertThat(store.loadCurrent(parser).modules()).isEmpty();
    }

    @Test
    void theDesiredVersionIsTheManifestsOwnOrOneMoreThanTheLast() {
        DeploymentStore store = new DeploymentStore(dir);

        assertThat(store.noteVersion(MANIFEST, 3)).isEqualTo(7);
        assertThat(new DeploymentStore(dir).readVersion()).isEqualTo(7);
        assertThat(store.noteVersion("not json", 7)).isEqualTo(8);
        assertThat(DeploymentStore.versionOf("{\"modulesContent\": {}}", 8)).isEqualTo(9);
        assertThat(new DeploymentStore(dir).readVersion()).isEqualTo(8);
    }

    @Test
    void aVersionFileThatIsNotANumberCountsFromZero() throws Exception {
        Files.writeString(dir.resolve("desired-version"), "seven");

        assertThat(new DeploymentStore(dir).readVersion()).isZero();
    }
}
