/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void aClientIdClaimsADeviceOrAModule() {
        assertThat(Identity.claimedBy("d1")).contains(Identity.device("d1"));
        assertThat(Identity.claimedBy("d1/m1")).contains(Identity.module("d1", "m1"));
        assertThat(Identity.claimedBy("d1/$edgeHub")).contains(Identity.module("d1", "$edgeHub"));
        // Trailing slashes were always ignored.
        assertThat(Identity.claimedBy("d1/")).contains(Identity.device("d1"));
        for (String none : new String[] {null, "", "/", "/m1", "d1//m1", "a/b/c"}) {
            assertThat(Identity.claimedBy(none)).as(none).isEmpty();
        }
    }

    @Test
    void itsIdIsItsClientIdAndItsSasResourceIsUnderTheHostName() {
        Identity module = Identity.of("d1", "m1");

        assertThat(module.id()).isEqualTo("d1/m1").isEqualTo(module.toString());
        assertThat(Identity.of("d1", null).id()).isEqualTo("d1");
        assertThat(module.sasResource("hub.example")).isEqualTo("hub.example/devices/d1/modules/m1");
        assertThat(Identity.device("d1").sasResource("hub.example")).isEqualTo("hub.example/devices/d1");
    }

    @Test
    void onlyAModuleHasAModuleIdAndNoIdIsEmptyOrHasASlash() {
        assertThatThrownBy(() -> new Identity(Identity.Kind.MODULE, "d1", null)).hasMessage(
                "a MODULE identity needs module id");
        assertThatThrownBy(() -> new Identity(Identity.Kind.CHILD_DEVICE, "d1", "m1")).hasMessage(
                "a CHILD_DEVICE identity has no module id");
        assertThatThrownBy(() -> Identity.device("")).hasMessage("device id '' is empty or has a '/'");
        assertThatThrownBy(() -> Identity.device("a/b")).hasMessage("device id 'a/b' is empty or has a '/'");
        assertThatThrownBy(() -> Identity.module("d1", "")).hasMessage("module id '' is empty or has a '/'");
    }

    @Test
    void kindsDifferButTheIdIsTheSame() {
        Identity leaf = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);

        assertThat(leaf).isNotEqualTo(Identity.device("leaf"));
        assertThat(leaf.id()).isEqualTo(Identity.device("leaf").id());
    }
}
