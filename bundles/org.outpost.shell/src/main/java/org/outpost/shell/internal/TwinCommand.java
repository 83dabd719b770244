/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.twin.api.GatewayTwins;

/**
 * {@code edge:twin}: a module's twin, or a table of all module twins. The reported version in the table is the
 * gateway's own: it goes up with every change a module reports, while the hub's goes up with every patch it receives,
 * and the gateway sends changes that pile up (a burst, or while the hub was away) as one merged patch. The
 * table says so, so that a 6 here beside a 4 in {@code hub:twin} is not taken for lost changes.
 */
@Service
@Command(scope = "edge", name = "twin", description = "Shows a module's twin on this gateway: desired properties (as"
        + " the cloud holds them) and reported properties. Without a module: each module's desired version, the"
        + " version last checked against the module and its outcome (200 applied, or why it was refused), and the"
        + " reported version as this gateway counts it (the hub's differs, usually lower: it gets the changes"
        + " merged into fewer patches).")
public class TwinCommand implements Action {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String REPORTED_NOTE = "Reported (gateway) counts this gateway's reported changes. The hub's"
            + " reported $version (hub:twin) counts the patches it received, and the gateway sends changes that pile"
            + " up (a burst, or while the hub was away) as one merged patch: the hub's version is usually lower."
            + " Compare the properties, not the versions (docs/twins.md).";

    /** One row of the table. */
    record Row(String module, long desiredVersion, Long checkedVersion, Integer outcomeCode, String outcomeError,
            long reportedVersion) {
    }

    @Reference
    private GatewayTwins twins;

    @Argument(index = 0, name = "module", description = "The module id (see edge:list)")
    @Completion(ModuleCompleter.class)
    private String module;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        if (module != null) {
            String twin = twins.twin(module).orElseThrow(() -> new CommandException("No module '" + module
                    + "' on this gateway; edge:list shows the modules"));
            System.out.println(Json.write(JSON.readTree(twin)));
            return null;
        }
        List<Row> rows = new ArrayList<>();
        for (String m : twins.modules()) {
            JsonNode t = JSON.readTree(twins.twin(m).orElse("{}"));
            JsonNode status = t.path("reported").path("outpost");
            JsonNode last = status.path("lastDesiredStatus");
            rows.add(new Row(m, t.path("desired").path("$version").asLong(1),
                    status.has("lastDesiredVersion") ? status.path("lastDesiredVersion").asLong() : null,
                    last.has("code") ? last.path("code").asInt() : null, last.path("description").asText(""),
                    t.path("reported").path("$version").asLong(1)));
        }
        if (json) {
            System.out.println(Json.write(rows));
            return null;
        }
        print(rows, System.out);
        return null;
    }

    /** Prints the table of module twins, and what its reported version counts. */
    static void print(List<Row> rows, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Desired").alignRight();
        table.column("Checked").alignRight();
        table.column("Outcome");
        table.column("Reported (gateway)").alignRight();
        for (Row r : rows) {
            table.addRow().addContent(r.module(), r.desiredVersion(), r.checkedVersion() == null ? "-"
                    : r.checkedVersion(), r.outcomeCode() == null ? "-" : r.outcomeCode() == 200 ? "200 applied"
                            : r.outcomeCode() + " " + r.outcomeError(), r.reportedVersion());
        }
        table.emptyTableText("No module twins. Modules get one when they start.");
        table.print(out);
        if (!rows.isEmpty()) {
            out.println(REPORTED_NOTE);
        }
    }
}
