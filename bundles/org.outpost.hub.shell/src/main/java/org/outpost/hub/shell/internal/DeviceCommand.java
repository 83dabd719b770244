/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.EffectiveDesired;

/** {@code hub:device}: one device in detail: identity, deployment, modules as its gateway reports them, telemetry. */
@Service
@Command(scope = "hub", name = "device", description = "Shows a device: status, connection, tags, the deployment it"
        + " runs, its modules as its $edgeAgent reports them (state, restarts, description) and its newest"
        + " telemetry.")
public class DeviceCommand implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    private DeviceRegistry registry;

    @Reference
    private Twins twins;

    @Reference
    private Deployments deployments;

    @Reference
    private Telemetry telemetry;

    @Reference
    private Fleet fleet;

    @Argument(index = 0, name = "id", required = true, description = "Device id")
    private String id;

    @Option(name = "-n", description = "Newest telemetry messages to show (default 5)")
    private int count = 5;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        Device d = registry.device(id).orElseThrow(() -> new CommandException("no device '" + id
                + "' (see hub:devices)"));
        EffectiveDesired e = deployments.applied(id);
        JsonNode agent = JSON.readTree(twins.twin(id, "$edgeAgent").reported());
        List<ReportedModule> modules = fleet.modules(id);
        List<Telemetry.Received> recent = telemetry.recent(id, count);
        List<String> children = registry.children(id).stream().map(Device::id).toList();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("device", d);
            out.put("connectionState", d.connectionState());
            out.put("children", children);
            out.put("tags", Json.read(twins.tags(id).toString()));
            out.put("deployment", e.base().orElse(null));
            out.put("layers", e.layers());
            out.put("lastDesiredStatus", Json.read(agent.path("lastDesiredStatus").toString()));
            out.put("modules", modules);
            out.put("telemetry", recent.stream().map(r -> Map.of("sequence", r.sequence(), "module",
                    String.valueOf(r.moduleId()), "body", r.message().bodyAsString())).toList());
            System.out.println(Json.write(out));
            return null;
        }
        System.out.println("Device " + id + ": " + (d.enabled() ? "enabled" : "disabled") + ", "
                + d.connectionState() + " (" + d.connections() + " connections), last seen "
                + (d.lastSeen() == null ? "never" : d.lastSeen()) + ", " + d.messages()
                + " messages since it was registered"
                + (d.secondaryKey() ? ", has a secondary key" : ""));
        System.out.println("Parent: " + (d.parentId() == null ? "none" : d.parentId()) + "; children: "
                + (children.isEmpty() ? "none" : String.join(", ", children)));
        System.out.println("Tags: " + twins.tags(id));
        System.out.println("Deployment: " + e.base().orElse("-") + (e.layers().isEmpty() ? "" : " + "
                + String.join(", ", e.layers())) + "; last desired status reported: "
                + (agent.has("lastDesiredStatus") ? agent.path("lastDesiredVersion").asText() + " "
                        + agent.path("lastDesiredStatus") : "none yet"));
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("State");
        table.column("Restarts").alignRight();
        table.column("Description").maxSize(80);
        modules.forEach(m -> table.addRow().addContent(m.moduleId(), m.runtimeStatus(), m.restartCount(),
                m.statusDescription()));
        table.emptyTableText("(its $edgeAgent has reported no modules)");
        table.print(System.out);
        if (!recent.isEmpty()) {
            System.out.println("Newest telemetry:");
            ShellTable t = new ShellTable();
            t.column("#").alignRight();
            t.column("Module");
            t.column("Body").maxSize(100);
            recent.forEach(r -> t.addRow().addContent(r.sequence(), r.moduleId() == null ? "(device)"
                    : r.moduleId(), r.message().bodyAsString()));
            t.print(System.out);
        }
        return null;
    }
}
