/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.EffectiveDesired;

/** {@code hub:devices}: the registered devices. */
@Service
@Command(scope = "hub", name = "devices", description = "Lists the registered devices: parent gateway, status,"
        + " connection, last seen, messages, tags and the deployment they run; --tree draws the parent/child tree.")
public class DevicesCommand implements Action {

    /** Tags wider than this are cut in the table (--json has them whole). */
    private static final int TAGS_WIDTH = 40;

    @Reference
    private DeviceRegistry registry;

    @Reference
    private Twins twins;

    @Reference
    private Deployments deployments;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Option(name = "--tree", description = "Draw the devices as their parent/child tree (gateways and the devices"
            + " below them); with --json, nested objects with 'children'")
    private boolean tree;

    @Override
    public Object execute() {
        List<Device> devices = registry.devices();
        if (tree) {
            if (json) {
                System.out.println(Json.write(DeviceTreeView.nested(devices)));
            } else if (devices.isEmpty()) {
                System.out.println("No devices. Register one with hub:device-create <id>.");
            } else {
                DeviceTreeView.lines(devices).forEach(System.out::println);
            }
            return null;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Device d : devices) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("deviceId", d.id());
            row.put("parentId", d.parentId());
            row.put("status", d.enabled() ? "enabled" : "disabled");
            row.put("connectionState", d.connectionState());
            row.put("connections", d.connections());
            row.put("created", d.created());
            row.put("lastSeen", d.lastSeen());
            row.put("messages", d.messages());
            row.put("secondaryKey", d.secondaryKey());
            try {
                row.put("tags", twins.tags(d.id()));
                EffectiveDesired e = deployments.applied(d.id());
                row.put("deployment", e.base().orElse(null));
                row.put("layers", e.layers());
            } catch (IllegalArgumentException deleted) {
                continue;
            }
            rows.add(row);
        }
        if (json) {
            System.out.println(Json.write(rows));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Status");
        table.column("Connection");
        table.column("Parent");
        table.column("Last seen");
        table.column("Messages").alignRight();
        table.column("Deployment");
        table.column("Tags");
        for (Map<String, Object> r : rows) {
            String tags = r.get("tags").toString();
            if (tags.length() > TAGS_WIDTH) {
                tags = tags.substring(0, TAGS_WIDTH - 3) + "...";
            }
            @SuppressWarnings("unchecked")
            List<String> layers = (List<String>) r.get("layers");
            String deployment = r.get("deployment") == null ? "-" : r.get("deployment")
                    + (layers.isEmpty() ? "" : " + " + String.join(", ", layers));
            table.addRow().addContent(r.get("deviceId"), r.get("status"), r.get("connectionState"),
                    r.get("parentId") == null ? "-" : r.get("parentId"),
                    r.get("lastSeen") == null ? "never" : r.get("lastSeen"), r.get("messages"), deployment, tags);
        }
        table.emptyTableText("No devices. Register one with hub:device-create <id>.");
        table.print(System.out);
        return null;
    }
}
