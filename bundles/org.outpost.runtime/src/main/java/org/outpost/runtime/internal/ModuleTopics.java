/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

/**
 * The MQTT topics of modules that connect over the network (IoT Hub's module topics) and their broker addresses (see
 * {@link org.outpost.broker.api.MqttAddresses}).
 */
final class ModuleTopics {

    private ModuleTopics() {
    }

    /** @return the topic prefix a module publishes its messages under; the property bag follows */
    static String eventsPrefix(String device, String module) {
        return "devices/" + device + "/modules/" + module + "/messages/events/";
    }

    /** @return the topic prefix of a module's inputs: {@code <prefix><input>/<property bag>} */
    static String inputsPrefix(String device, String module) {
        return "devices/" + device + "/modules/" + module + "/inputs/";
    }

    /** @return the address of a module's telemetry topics (without the property bag level) */
    static String eventsAddress(String device, String module) {
        return "devices." + device + ".modules." + module + ".messages.events";
    }

    /** @return the address of a module's inputs (without the input and property bag levels) */
    static String inputsAddress(String device, String module) {
        return "devices." + device + ".modules." + module + ".inputs";
    }
}
