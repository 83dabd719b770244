/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.Telemetry;

/**
 * {@code hub:fleet}: the fleet's health at a glance. Each count says what it counts: modules failing now and devices on
 * which a deployment failed answer different questions, and the telemetry count starts again with the hub.
 */
@Service
@Command(scope = "hub", name = "fleet", description = "The fleet's health: devices, connected, disabled, deployments,"
        + " every module its gateway reports failing now (failed, backing off, unhealthy or dead), every device on"
        + " which a deployment failed, and the telemetry received since this hub started.")
public class FleetCommand implements Action {

    @Reference
    private Fleet fleet;

    @Reference
    private Telemetry telemetry;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        Fleet.Health h = fleet.health();
        if (json) {
            System.out.println(Json.write(h));
            return null;
        }
        summary(h, telemetry.received(), telemetry.receivedSince()).forEach(System.out::println);
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
        if (!h.failedDeployments().isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Device");
            table.column("Deployment");
            table.column("Why it failed").maxSize(100);
            h.failedDeployments().forEach(f -> table.addRow().addContent(f.deviceId(), f.deploymentId(),
                    f.reason()));
            table.print(System.out);
        }
        return null;
    }

    /** @return the lines above the tables, each count with what it counts */
    static List<String> summary(Fleet.Health h, long received, Instant since) {
        return List.of(h.devices() + " devices, " + h.connected() + " connected, " + h.disabled() + " disabled; "
                + h.deployments() + " deployments",
                "Modules failing now: " + h.failingModules().size(),
                "Devices on which a deployment failed: " + h.failedDeployments().size() + (h.failedDeployments()
                        .isEmpty() ? "" : " (a refused or rolled-back deployment leaves the device running its last"
                                + " good one, so its modules need not be failing)"),
                "Telemetry received since this hub started (" + since + "): " + received + " messages; a device's"
                        + " count (hub:device, hub:devices) is its total since it was registered, kept across"
                        + " restarts");
    }
}
