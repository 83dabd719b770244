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
import org.outpost.hub.api.Twins;
import org.outpost.hub.query.Condition;
import org.outpost.hub.query.ConditionException;
import org.outpost.protocol.TwinDocument;

/** {@code hub:twin-query}: the devices whose twin matches a condition. */
@Service
@Command(scope = "hub", name = "twin-query", description = "Lists the devices whose twin matches a condition in IoT"
        + " Hub's syntax, e.g. \"properties.reported.firmware < '2.0' AND deviceId IN ['gw-1', 'gw-2']\".")
public class TwinQueryCommand implements Action {

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "condition", required = true, description = "The condition, quoted")
    private String condition;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        Condition c;
        try {
            c = Condition.parse(condition);
        } catch (ConditionException e) {
            throw new CommandException("Not a condition: " + e.getMessage() + "\n  " + condition + "\n  "
                    + " ".repeat(Math.max(0, e.column() - 1)) + "^");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String device : twins.query(c)) {
            TwinDocument t = twins.twin(device, null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("deviceId", device);
            row.put("desiredVersion", t.desiredVersion());
            row.put("reportedVersion", t.reportedVersion());
            rows.add(row);
        }
        if (json) {
            System.out.println(Json.write(rows));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Desired").alignRight();
        table.column("Reported").alignRight();
        rows.forEach(r -> table.addRow().addContent(r.get("deviceId"), r.get("desiredVersion"),
                r.get("reportedVersion")));
        table.emptyTableText("No device matches.");
        table.print(System.out);
        return null;
    }
}
