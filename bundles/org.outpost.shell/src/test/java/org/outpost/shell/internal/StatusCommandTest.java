/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void theOutcomeOfADeploymentNamesItsCodeOnce() {
        assertThat(StatusCommand.outcome(200, "")).isEqualTo("200");
        assertThat(StatusCommand.outcome(500, "500 the module failed; rolled back")).isEqualTo(
                "500 the module failed; rolled back");
        assertThat(StatusCommand.outcome(400, "modules.x.type: unknown")).isEqualTo("400 modules.x.type: unknown");
        assertThat(StatusCommand.outcome(409, "4090 apples")).isEqualTo("409 4090 apples");
    }
}
