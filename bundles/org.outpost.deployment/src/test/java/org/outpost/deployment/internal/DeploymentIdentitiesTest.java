/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import org.junit.jupiter.api.Test;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.manifest.ModuleType;

class DeploymentIdentitiesTest {

    private final FakeIdentities fake = new FakeIdentities();
    private final DeploymentIdentities identities = new DeploymentIdentities(fake);

    @Test
    void everyModuleGetsAnIdentityAndARollbackDeletesOnlyThoseItMade() throws Exception {
        fake.create("pump");
        String pumpGeneration = fake.identity("pump").orElseThrow().generationId();
        UndoLog undo = new UndoLog();

        identities.create(deployment(null, running("pump", ModuleType.BUNDLE), running("cam", ModuleType.CONTAINER)),
                undo);
        assertThat(fake.identities()).extracting(ModuleIdentity::moduleId).containsExactlyInAnyOrder("pump", "cam");

        undo.rollBack();
        assertThat(fake.identities()).extracting(ModuleIdentity::moduleId).containsExactly("pump");
        assertThat(fake.identity("pump").orElseThrow().generationId()).isEqualTo(pumpGeneration);
    }

    @Test
    void theIdentitiesOfRemovedModulesAreDeletedWhenAsked() {
        fake.create("old");
        fake.create("kept");

        identities.deleteRemoved(java.util.List.of("old", "never-had-one"));

        assertThat(fake.identities()).extracting(ModuleIdentity::moduleId).containsExactly("kept");
    }

    @Test
    void atStartTheRunningDeploymentsModulesHaveIdentitiesAndOthersKeepTheirs() {
        fake.create("from-deploy-folder");
        fake.create("pump");

        identities.reconcile(deployment(null, running("pump", ModuleType.BUNDLE), running("cam",
                ModuleType.CONTAINER)));

        assertThat(fake.identities()).extracting(ModuleIdentity::moduleId).containsExactlyInAnyOrder("pump", "cam",
                "from-deploy-folder");
    }
}
