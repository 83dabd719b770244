/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.hub.api.DeviceRegistry;

/** {@code hub:device-delete}: removes a device; it can no longer connect. */
@Service
@Command(scope = "hub", name = "device-delete", description = "Deletes a device identity; it can no longer connect.")
public class DeviceDeleteCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Argument(index = 0, name = "id", required = true, description = "Device id")
    private String id;

    @Override
    public Object execute() throws Exception {
        if (!registry.delete(id)) {
            throw new CommandException("no device '" + id + "' (see hub:devices)");
        }
        System.out.println("Device '" + id + "' deleted.");
        return null;
    }
}
