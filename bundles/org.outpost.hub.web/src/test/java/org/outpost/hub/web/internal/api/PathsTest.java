/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void aPathBelowTheBaseStartsWithASlashAndTheBaseItselfIsOne() {
        assertThat(Paths.of("fleet")).isEqualTo("/fleet");
        assertThat(Paths.of("/devices/x")).isEqualTo("/devices/x");
        assertThat(Paths.of("")).isEqualTo("/");
        assertThat(Paths.of((String) null)).isEqualTo("/");
    }
}
