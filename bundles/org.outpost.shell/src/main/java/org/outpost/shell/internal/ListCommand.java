/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleResources;
import org.outpost.api.runtime.ModuleUsage;
import org.outpost.commons.DeployFolder;
import org.outpost.commons.Json;

/**
 * {@code edge:list}: every module with its state and message counts, like {@code iotedge list}, and below them the jars
 * in {@code deploy/} that were not installed (not a bundle), with why.
 */
@Service
@Command(scope = "edge", name = "list", description = "Lists the modules on this gateway: type, state, bundle,"
        + " version, messages sent and received, CPU share and memory (as last sampled by the module accounting),"
        + " and why a module is not running; then the jars in deploy/ that were not installed, and why.")
public class ListCommand implements Action {

    @Reference
    private EdgeRuntime runtime;

    @Reference(optional = true)
    private ModuleResources resources;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        List<ModuleInfo> modules = runtime.modules();
        java.util.Map<String, ModuleUsage> usage = new java.util.HashMap<>();
        if (resources != null) {
            resources.usage().forEach(u -> usage.put(u.module(), u));
        }
        if (json) {
            // Each module as before, with its "usage" (null until sampled).
            List<Object> out = new java.util.ArrayList<>();
            for (ModuleInfo m : modules) {
                com.fasterxml.jackson.databind.node.ObjectNode row =
                        (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(Json.write(m));
                ModuleUsage u = usage.get(m.name());
                row.set("usage", u == null ? null : (com.fasterxml.jackson.databind.JsonNode) Json.read(
                        Json.write(u)));
                out.add(row);
            }
            System.out.println(Json.write(out));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Type");
        table.column("Managed");
        table.column("State");
        table.column("Bundle").alignRight();
        table.column("Version");
        table.column("Sent").alignRight();
        table.column("Received").alignRight();
        table.column("CPU %").alignRight();
        table.column("Memory").alignRight();
        table.column("Reason").maxSize(80);
        for (ModuleInfo m : modules) {
            ModuleUsage u = usage.get(m.name());
            table.addRow().addContent(m.name(), m.type(), m.managed() ? "deployment" : "unmanaged", m.state().label(),
                    m.bundleId() < 0 ? "-" : m.bundleId(),
                    m.version(), m.sent(), m.received(), u == null ? "-" : String.format(java.util.Locale.ROOT,
                            "%.1f", u.cpuPercent()), u == null || u.memoryBytes() < 0 ? "-" : mebibytes(
                                    u.memoryBytes()), m.reason());
        }
        table.emptyTableText("No modules. Drop a module bundle into deploy/ to start one.");
        table.print(System.out);
        for (DeployFolder.Refused r : DeployFolder.refused(DeployFolder.path())) {
            System.out.println("Not installed: deploy/" + r.jar().getFileName() + ": " + r.reason());
        }
        return null;
    }

    /** @return bytes as an operator reads them: {@code 12.3 MiB} */
    static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
