/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;

/** {@code hub:devices}: the registered devices. */
@Service
@Command(scope = "hub", name = "devices", description = "Lists the registered devices: created, last seen, messages.")
public class DevicesCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        if (json) {
            System.out.println(Json.write(registry.devices()));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Created");
        table.column("Last seen");
        table.column("Messages").alignRight();
        for (Device d : registry.devices()) {
            table.addRow().addContent(d.id(), d.created(), d.lastSeen() == null ? "never" : d.lastSeen(),
                    d.messages());
        }
        table.emptyTableText("No devices. Register one with hub:device-create <id>.");
        table.print(System.out);
        return null;
    }
}
