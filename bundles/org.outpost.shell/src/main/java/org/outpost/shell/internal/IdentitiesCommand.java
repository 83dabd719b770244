/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.identity.api.ModuleIdentities;

/** {@code edge:identities}: the modules' identities on this gateway, never their keys. */
@Service
@Command(scope = "edge", name = "identities", description = "Lists the module identities on this gateway: module,"
        + " generation, whether the hub has it yet, when it was made (never the keys); and the deletions the hub has"
        + " yet to hear of.")
public class IdentitiesCommand implements Action {

    /** One row; no key. */
    record Row(String module, String id, String generationId, boolean atHub, Instant created) {
    }

    /** What {@code --json} prints. */
    record Listing(String deviceId, List<Row> identities, List<String> deletionsPending) {
    }

    @Reference
    ModuleIdentities identities;

    @Option(name = "--json", description = "Print JSON for scripts")
    boolean json;

    @Override
    public Object execute() {
        List<Row> rows = identities.identities().stream().map(i -> new Row(i.moduleId(), i.id(), i.generationId(),
                i.registered(), i.created())).toList();
        List<String> deletions = identities.pending().toDelete();
        if (json) {
            System.out.println(Json.write(new Listing(identities.deviceId(), rows, deletions)));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Generation");
        table.column("At hub");
        table.column("Created");
        for (Row r : rows) {
            table.addRow().addContent(r.module(), r.generationId(), r.atHub() ? "yes" : "no", r.created());
        }
        table.emptyTableText("No module identities. The deployment makes one for each module it adds.");
        table.print(System.out);
        if (!deletions.isEmpty()) {
            System.out.println("Deleted here, the hub not yet told: " + String.join(", ", deletions));
        }
        return null;
    }
}
