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
import org.outpost.commons.Json;
import org.outpost.hub.api.Fleet;

/** {@code hub:fleet}: the fleet's health at a glance, and every failing module. */
@Service
@Command(scope = "hub", name = "fleet", description = "The fleet's health: devices, connected, disabled, deployments,"
        + " and every module its gateway reports failed, backing off, unhealthy or dead.")
public class FleetCommand implements Action {

    @Reference
    private Fleet fleet;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        Fleet.Health h = fleet.health();
        if (json) {
            System.out.println(Json.write(h));
            return null;
        }
        System.out.println(h.devices() + " devices, " + h.connected() + " connected, " + h.disabled()
                + " disabled; " + h.deployments() + " deployments; " + h.failingModules().size()
                + " failing modules");
        if (!h.failingModules().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Device");
            table.column("Module");
            table.column("State");
            table.column("Restarts").alignRight();
            table.column("Description").maxSize(80);
            h.failingModules().forEach(f -> table.addRow().addContent(f.deviceId(), f.module().moduleId(),
                    f.module().runtimeStatus(), f.module().restartCount(), f.module().statusDescription()));
            table.print(System.out);
        }
        return null;
    }
}
