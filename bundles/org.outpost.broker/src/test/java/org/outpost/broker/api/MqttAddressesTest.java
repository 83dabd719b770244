/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttAddressesTest {

    @Test
    void aDotInsideALevelIsEscapedAndComesBack() {
        String topic = "devices/gw1/modules/pump/messages/events/%24.on=out&unit=m.s";
        String address = MqttAddresses.address(topic);
        assertThat(address).isEqualTo("devices.gw1.modules.pump.messages.events.%24\\.on=out&unit=m\\.s");
        assertThat(MqttAddresses.topic(address)).isEqualTo(topic);
    }

    @Test
    void brokerWildcardsInsideALevelAreEncodedSoTheyStayLiteral() {
        assertThat(MqttAddresses.address("devices/gw1/modules/m/inputs/in/k=a*b#")).isEqualTo(
                "devices.gw1.modules.m.inputs.in.k=a%2Ab%23");
    }
}
