/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

/**
 * The MQTT topics of modules that connect over the network (IoT Hub's module topics) and the broker addresses Artemis
 * gives them: an MQTT topic {@code a/b.c/d} is the address {@code a.b\.c.d} (levels joined by {@code .}, a {@code .}
 * inside a level escaped with {@code \}).
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

    /**
     * @param topic an MQTT topic name (no wildcards)
     * @return the broker address Artemis routes it to
     */
    static String address(String topic) {
        StringBuilder out = new StringBuilder(topic.length() + 8);
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            switch (c) {
                case '/' -> out.append('.');
                case '.' -> out.append("\\.");
                // Broker wildcards inside a level would become MQTT wildcards; a property bag encodes them instead.
                case '*' -> out.append("%2A");
                case '#' -> out.append("%23");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * @param address a broker address of an MQTT publication
     * @return the MQTT topic it came from
     */
    static String topic(String address) {
        StringBuilder out = new StringBuilder(address.length());
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\\' && i + 1 < address.length() && address.charAt(i + 1) == '.') {
                out.append('.');
                i++;
            } else {
                out.append(c == '.' ? '/' : c);
            }
        }
        return out.toString();
    }
}
