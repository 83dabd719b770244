/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.outpost.broker.api.MqttAddresses;

class ModuleTopicsTest {

    @Test
    void prefixesAndAddressesNameTheSameTopics() {
        assertThat(ModuleTopics.eventsPrefix("gw1", "m")).isEqualTo("devices/gw1/modules/m/messages/events/");
        assertThat(ModuleTopics.address(ModuleTopics.eventsPrefix("gw1", "m"))).isEqualTo(
                "devices.gw1.modules.m.messages.events");
        assertThat(MqttAddresses.address(ModuleTopics.inputsPrefix("gw1", "m") + "in")).isEqualTo(ModuleTopics
                .address(ModuleTopics.inputsPrefix("gw1", "m")) + ".in");
    }
}
