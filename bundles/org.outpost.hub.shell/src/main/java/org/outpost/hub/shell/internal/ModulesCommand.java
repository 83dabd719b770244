/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;

/** {@code hub:modules}: the module identities a device's gateway registered. */
@Service
@Command(scope = "hub", name = "modules", description = "Lists a device's module identities, as its gateway"
        + " registered them: generation, when, and whether each is connected. $edgeAgent and $edgeHub have none (they"
        + " use the device's credentials).")
public class ModulesCommand implements Action {

    @Reference
    private ModuleRegistry modules;

    @Argument(index = 0, name = "device", required = true, description = "Device id")
    private String device;

    @Option(name = "--show-keys", description = "Also print each identity's primary and secondary key (secrets: they"
            + " sign the module's SAS tokens)")
    private boolean showKeys;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        List<ModuleIdentity> identities;
        try {
            identities = modules.modules(device);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage() + " (see hub:devices)");
        }
        List<Map<String, Object>> rows = rows(identities, modules, showKeys);
        if (json) {
            System.out.println(Json.write(rows));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Generation");
        table.column("Created");
        table.column("Connected");
        if (showKeys) {
            table.column("Primary key");
            table.column("Secondary key");
        }
        for (Map<String, Object> r : rows) {
            List<Object> cells = new ArrayList<>(List.of(r.get("moduleId"), r.get("generationId"), r.get("created"),
                    connected((Boolean) r.get("connected"))));
            if (showKeys) {
                cells.add(r.get("primaryKey"));
                cells.add(r.get("secondaryKey"));
            }
            table.addRow().addContent(cells);
        }
        table.emptyTableText("No module identities: the device's gateway registers its modules when it connects.");
        table.print(System.out);
        return null;
    }

    /** @return a row per identity; with keys only if {@code showKeys} */
    static List<Map<String, Object>> rows(List<ModuleIdentity> identities, ModuleRegistry modules, boolean showKeys) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModuleIdentity m : identities) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("deviceId", m.deviceId());
            row.put("moduleId", m.moduleId());
            row.put("generationId", m.generationId());
            row.put("created", m.created());
            row.put("managedBy", m.managedBy());
            row.put("connected", m.connected());
            if (showKeys) {
                ModuleRegistry.Keys keys = modules.keys(m.deviceId(), m.moduleId()).orElse(null);
                if (keys == null) {
                    continue; // Deleted while listing.
                }
                row.put("primaryKey", keys.primaryKey());
                row.put("secondaryKey", keys.secondaryKey());
            }
            rows.add(row);
        }
        return rows;
    }

    /** @return yes, no, or ? when not known (the device is connected to another hub node) */
    static String connected(Boolean connected) {
        return connected == null ? "?" : connected ? "yes" : "no";
    }
}
