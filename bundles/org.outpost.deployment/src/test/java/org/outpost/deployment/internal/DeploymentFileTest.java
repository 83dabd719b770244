/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.deployment.api.DeploymentResult;

class DeploymentFileTest {

    @TempDir
    Path dir;

    private final List<String> applied = new ArrayList<>();

    private DeploymentResult deploy(String manifest) {
        applied.add(manifest);
        return new DeploymentResult(200, "", List.of(), false, 0);
    }

    @Test
    void aFileDroppedInWhileTheGatewayWasDownIsAppliedAtStart() throws Exception {
        Path file = Files.writeString(dir.resolve("deployment.json"), "new");

        try (DeploymentFile f = new DeploymentFile(file, this::deploy, () -> "old", Runnable::run)) {
            assertThat(applied).containsExactly("new");
        }
    }

    @Test
    void theDeploymentRunningIsNotAppliedAgainAtStart() throws Exception {
        Path file = Files.writeString(dir.resolve("deployment.json"), "same");

        try (DeploymentFile f = new DeploymentFile(file, this::deploy, () -> "same", Runnable::run)) {
            assertThat(applied).isEmpty();
        }
        try (DeploymentFile f = new DeploymentFile(dir.resolve("none.json"), this::deploy, () -> null,
                Runnable::run)) {
            assertThat(applied).isEmpty();
        }
    }
}
