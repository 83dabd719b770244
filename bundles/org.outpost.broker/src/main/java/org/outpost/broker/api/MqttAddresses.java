/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

/**
 * The broker addresses Artemis gives MQTT topics: a topic {@code a/b.c/d} is the address {@code a.b\.c.d} (levels
 * joined by {@code .}, a {@code .} inside a level escaped with {@code \}). In-VM clients that publish to MQTT
 * subscribers, or read what MQTT clients published, go through these.
 */
public final class MqttAddresses {

    private MqttAddresses() {
    }

    /**
     * @param topic an MQTT topic name (no wildcards)
     * @return the broker address Artemis routes it to; {@code *} and {@code #} inside a level, which would be broker
     *         wildcards, are percent-encoded (as a property bag encodes them)
     */
    public static String address(String topic) {
        StringBuilder out = new StringBuilder(topic.length() + 8);
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            switch (c) {
                case '/' -> out.append('.');
                case '.' -> out.append("\\.");
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
    public static String topic(String address) {
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
