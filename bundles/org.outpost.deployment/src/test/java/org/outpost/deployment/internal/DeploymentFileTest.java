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
    void aFileRefusedForAKindNotYetBoundIsAppliedWhenAKindComesAndOnlyThen() throws Exception {
        Path file = Files.writeString(dir.resolve("deployment.json"), "with a container");
        List<String> kinds = new ArrayList<>(List.of("bundle"));
        java.util.function.Function<String, DeploymentResult> deploy = manifest -> {
            applied.add(manifest);
            return kinds.contains("container") ? new DeploymentResult(200, "", List.of(), false, 0)
                    : new DeploymentResult(400, "400 modulesContent.$edgeAgent.properties.desired.modules.worker.type:"
                            + " no module kind 'container' runs on this gateway (it has bundle)", List.of(), false, 0);
        };

        try (DeploymentFile f = new DeploymentFile(file, deploy, () -> null, Runnable::run)) {
            assertThat(applied).containsExactly("with a container");
            kinds.add("container");
            f.kindArrived();
            assertThat(applied).containsExactly("with a container", "with a container");
            // applied: a later kind does not apply it again
            f.kindArrived();
            assertThat(applied).hasSize(2);
        }
    }

    @Test
    void aFileRefusedForAnotherReasonIsNotAppliedAgainWhenAKindComes() throws Exception {
        Path file = Files.writeString(dir.resolve("deployment.json"), "bad");
        java.util.function.Function<String, DeploymentResult> deploy = manifest -> {
            applied.add(manifest);
            return new DeploymentResult(400, "400 modulesContent: not JSON", List.of(), false, 0);
        };

        try (DeploymentFile f = new DeploymentFile(file, deploy, () -> null, Runnable::run)) {
            f.kindArrived();
            assertThat(applied).containsExactly("bad");
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
