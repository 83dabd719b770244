/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressMatchTest {

    private static boolean matches(String pattern, String address) {
        return AddressMatch.matches(AddressMatch.words(pattern), AddressMatch.words(address));
    }

    @Test
    void plainAddressesMatchOnlyThemselves() {
        assertThat(matches("a.b.c", "a.b.c")).isTrue();
        assertThat(matches("a.b.c", "a.b")).isFalse();
        assertThat(matches("a.b", "a.b.c")).isFalse();
    }

    @Test
    void hashMatchesAnyNumberOfWordsAndStarExactlyOne() {
        assertThat(matches("devices.d.modules.m.inputs.#", "devices.d.modules.m.inputs.in.%24\\.mid=1")).isTrue();
        assertThat(matches("devices.d.modules.m.inputs.#", "devices.d.modules.m.inputs")).isTrue();
        assertThat(matches("devices.d.modules.other.inputs.#", "devices.d.modules.m.inputs.in")).isFalse();
        assertThat(matches("devices.*.modules.*.messages.events.#", "devices.d.modules.m.messages.events.x"))
                .isTrue();
        assertThat(matches("devices.*.messages", "devices.a.b.messages")).isFalse();
        assertThat(matches("#", "anything.at.all")).isTrue();
    }

    @Test
    void anEscapedDotStaysInsideItsWord() {
        assertThat(AddressMatch.words("a.b\\.c.d")).containsExactly("a", "b\\.c", "d");
        assertThat(matches("a.*.d", "a.b\\.c.d")).isTrue();
    }
}
