/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.hub.api.DeviceRegistry;

/** {@code hub:device-disable}: refuses a device's connections, keeping all it has. */
@Service
@Command(scope = "hub", name = "device-disable", description = "Disables a device: its connections are closed and"
        + " refused until hub:device-enable; its keys, tags, twins and deployments are kept.")
public class DeviceDisableCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Argument(index = 0, name = "id", required = true, description = "Device id")
    private String id;

    @Override
    public Object execute() {
        registry.setEnabled(id, false);
        System.out.println("Device '" + id + "' disabled.");
        return null;
    }
}
