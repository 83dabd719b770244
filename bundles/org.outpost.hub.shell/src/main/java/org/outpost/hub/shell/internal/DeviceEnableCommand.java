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

/** {@code hub:device-enable}: lets a disabled device connect again. */
@Service
@Command(scope = "hub", name = "device-enable", description = "Lets a disabled device connect again.")
public class DeviceEnableCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Argument(index = 0, name = "id", required = true, description = "Device id")
    private String id;

    @Override
    public Object execute() {
        registry.setEnabled(id, true);
        System.out.println("Device '" + id + "' enabled.");
        return null;
    }
}
