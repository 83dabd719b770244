/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.kafka.internal;

import org.outpost.api.message.Message;
import org.outpost.hub.routing.EndpointSettings;

/** What a record's key is: the device id (default), nothing, or an application property. */
record RecordKey(String property, boolean device) {

    static RecordKey parse(String setting) {
        if (setting.equals("deviceId")) {
            return new RecordKey(null, true);
        } else if (setting.equals("none")) {
            return new RecordKey(null, false);
        } else if (setting.startsWith("property:") && setting.length() > "property:".length()) {
            return new RecordKey(setting.substring("property:".length()), false);
        }
        throw EndpointSettings.wrong("key", "'" + setting + "': expected deviceId, none or property:<name>");
    }

    /** @return the key of the message's record, or null (Kafka then spreads records over partitions) */
    String of(Message m) {
        if (device) {
            return m.connectionDeviceId();
        }
        return property == null ? null : m.properties().get(property);
    }
}
