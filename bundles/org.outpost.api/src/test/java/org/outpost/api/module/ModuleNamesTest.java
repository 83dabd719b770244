/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "sensor", "temperature-filter", "Out_1", "0123456789012345678901234567890123456789012345678901234567890123"})
    void accepts(String name) {
        assertThat(ModuleNames.isValid(name)).isTrue();
        assertThat(ModuleNames.require("module id", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a/b", "a b", "*", "#", "ü", "01234567890123456789012345678901234567890123456789012345678901234"})
    void rejects(String name) {
        assertThat(ModuleNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ModuleNames.require("output name", name))
                .hasMessage("output name '" + name + "' is not valid: use 1 to 64 letters, digits, '-' or '_'");
    }

    @org.junit.jupiter.api.Test
    void rejectsNull() {
        assertThat(ModuleNames.isValid(null)).isFalse();
    }
}
