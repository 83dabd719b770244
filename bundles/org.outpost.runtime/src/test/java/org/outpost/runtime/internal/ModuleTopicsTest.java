/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModuleTopicsTest {

    @Test
    void aDotInsideALevelIsEscapedAndComesBack() {
        String topic = "devices/gw1/modules/pump/messages/events/%24.on=out&unit=m.s";
        String address = ModuleTopics.address(topic);
        assertThat(address).isEqualTo("devices.gw1.modules.pump.messages.events.%24\\.on=out&unit=m\\.s");
        assertThat(ModuleTopics.topic(address)).isEqualTo(topic);
    }

    @Test
    void brokerWildcardsInsideALevelAreEncodedSoTheyStayLiteral() {
        assertThat(ModuleTopics.address("devices/gw1/modules/m/inputs/in/k=a*b")).isEqualTo(
                "devices.gw1.modules.m.inputs.in.k=a%2Ab");
    }

    @Test
    void prefixesAndAddressesNameTheSameTopics() {
        assertThat(ModuleTopics.address(ModuleTopics.eventsPrefix("gw1", "m") + "x")).isEqualTo(ModuleTopics
                .eventsAddress("gw1", "m") + ".x");
        assertThat(ModuleTopics.address(ModuleTopics.inputsPrefix("gw1", "m") + "in")).isEqualTo(ModuleTopics
                .inputsAddress("gw1", "m") + ".in");
    }
}
