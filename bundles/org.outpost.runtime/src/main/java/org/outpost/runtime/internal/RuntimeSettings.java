/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Map;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.module.ModuleNames;

/**
 * The gateway's identity.
 *
 * @param deviceId the device id of this gateway, as the cloud knows it
 */
record RuntimeSettings(String deviceId) {

    static final String PID = "org.outpost.runtime";

    static RuntimeSettings from(Ingress.Config config, Map<String, ?> raw) throws InvalidConfigurationException {
        ConfigValues values = new ConfigValues(PID, config, raw);
        return new RuntimeSettings(values.get("device.id", config::device_id, ModuleNames::isValid,
                "1 to 64 letters, digits, '-' or '_'"));
    }
}
