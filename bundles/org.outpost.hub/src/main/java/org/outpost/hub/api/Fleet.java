/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.osgi.annotation.versioning.ProviderType;

/** The fleet's health, from the registry and what every gateway's {@code $edgeAgent} reports. */
@ProviderType
public interface Fleet {

    /** A failing module of a device (in JSON, flat: {@code deviceId} beside the module's fields). */
    record FailingModule(String deviceId, @JsonUnwrapped ReportedModule module) {
    }

    /**
     * @param devices registered devices
     * @param connected devices with at least one connection now
     * @param disabled disabled devices
     * @param deployments deployments
     * @param failingModules every failing module, by device id
     */
    record Health(int devices, int connected, int disabled, int deployments, List<FailingModule> failingModules) {
        public Health {
            failingModules = List.copyOf(failingModules);
        }
    }

    /** @return the fleet's health now (one pass over the devices) */
    Health health();

    /**
     * @return the device's modules as its {@code $edgeAgent} last reported them (empty before its first report)
     * @throws IllegalArgumentException if the device is not registered
     */
    List<ReportedModule> modules(String deviceId);
}
