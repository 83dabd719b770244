/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeploymentServiceTest {

    @Test
    void aListSettingIsReadFromAnArrayOrFromOneCommaSeparatedValueOfACfgFile() {
        assertThat(DeploymentService.list(new String[] {"podman", "docker"})).containsExactly("podman", "docker");
        assertThat(DeploymentService.list(new String[] {"mvn, file ,https"})).containsExactly("mvn", "file", "https");
        assertThat(DeploymentService.list(new String[] {""})).isEmpty();
    }
}
