/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;

/** {@code hub:fleet}: the fleet's health at a glance, and every failing module. */
@Service
@Command(scope = "hub", name = "fleet", description = "The fleet's health: devices, connected, disabled, deployments,"
        + " and every module its gateway reports failed, backing off, unhealthy or dead.")
public class FleetCommand implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FAILING = Set.of("failed", "backoff", "unhealthy", "dead");

    @Reference
    private DeviceRegistry registry;

    @Reference
    private Twins twins;

    @Reference
    private Deployments deployments;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        int total = 0;
        int connected = 0;
        int disabled = 0;
        List<Map<String, Object>> failing = new ArrayList<>();
        for (Device d : registry.devices()) {
            total++;
            connected += d.connections() > 0 ? 1 : 0;
            disabled += d.enabled() ? 0 : 1;
            JsonNode agent;
            try {
                agent = JSON.readTree(twins.twin(d.id(), "$edgeAgent").reported());
            } catch (IllegalArgumentException deleted) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = agent.path("modules").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> m = it.next();
                String state = m.getValue().path("runtimeStatus").asText("");
                if (FAILING.contains(state)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("deviceId", d.id());
                    row.put("moduleId", m.getKey());
                    row.put("runtimeStatus", state);
                    row.put("restartCount", m.getValue().path("restartCount").asLong(0));
                    row.put("statusDescription", m.getValue().path("statusDescription").asText(""));
                    failing.add(row);
                }
            }
        }
        int count = deployments.deployments().size();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("devices", total);
            out.put("connected", connected);
            out.put("disabled", disabled);
            out.put("deployments", count);
            out.put("failingModules", failing);
            System.out.println(Json.write(out));
            return null;
        }
        System.out.println(total + " devices, " + connected + " connected, " + disabled + " disabled; " + count
                + " deployments; " + failing.size() + " failing modules");
        if (!failing.isEmpty()) {
            ShellTable table = new ShellTable();
            table.column("Device");
            table.column("Module");
            table.column("State");
            table.column("Restarts").alignRight();
            table.column("Description").maxSize(80);
            failing.forEach(f -> table.addRow().addContent(f.get("deviceId"), f.get("moduleId"),
                    f.get("runtimeStatus"), f.get("restartCount"), f.get("statusDescription")));
            table.print(System.out);
        }
        return null;
    }
}
