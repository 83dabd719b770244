/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Map;

import org.outpost.broker.api.MqttAddresses;
import org.outpost.protocol.TelemetryTopic;

/**
 * The MQTT topics of modules that connect over the network (IoT Hub's module topics) and their broker addresses (see
 * {@link MqttAddresses}).
 */
final class ModuleTopics {

    private ModuleTopics() {
    }

    /** @return the topic prefix a module publishes its messages under; the property bag follows */
    static String eventsPrefix(String device, String module) {
        return new TelemetryTopic(device, module, Map.of()).format();
    }

    /** @return the topic prefix of a module's inputs: {@code <prefix><input>/<property bag>} */
    static String inputsPrefix(String device, String module) {
        return "devices/" + device + "/modules/" + module + "/inputs/";
    }

    /** @return the broker address of a topic prefix (without its trailing level separator) */
    static String address(String prefix) {
        return MqttAddresses.address(prefix.substring(0, prefix.length() - 1));
    }
}
