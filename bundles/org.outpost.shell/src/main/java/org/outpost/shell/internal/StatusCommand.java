/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentStatus;

/** {@code edge:status}: the last deployment's outcome and each deployed module's state, in IoT Edge's shape. */
@Service
@Command(scope = "edge", name = "status", description = "Shows the outcome of the last deployment and the state of"
        + " every deployed module (the IoT Edge reported-status shape with --json).")
public class StatusCommand implements Action {

    @Reference
    private Deployer deployer;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        DeploymentStatus s = deployer.status();
        if (json) {
            System.out.println(Json.write(s));
            return null;
        }
        System.out.println("Last deployment: " + (s.lastDesiredStatus() == null ? "none yet"
                : "version " + s.lastDesiredVersion() + ", " + outcome(s.lastDesiredStatus().code(),
                        s.lastDesiredStatus().description())));
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Type");
        table.column("Version");
        table.column("Desired");
        table.column("Runtime");
        table.column("Last start");
        table.column("Restarts").alignRight();
        table.column("Last restart");
        table.column("Exit").alignRight();
        table.column("Reason");
        s.modules().forEach((name, m) -> table.addRow().addContent(name, m.type(), m.version(), m.status(),
                m.runtimeStatus(), m.lastStartTimeUtc() == null ? "-" : m.lastStartTimeUtc().toString(),
                m.restartCount(), m.lastRestartTimeUtc() == null ? "-" : m.lastRestartTimeUtc().toString(),
                m.exitCode() == null ? "-" : m.exitCode(), m.statusDescription()));
        table.emptyTableText("No deployed modules: deploy a manifest with edge:deploy <file>");
        table.print(System.out);
        return null;
    }

    /** @return {@code "<code> <description>"}, the code once (descriptions of refusals begin with it already) */
    static String outcome(int code, String description) {
        String c = Integer.toString(code);
        return description.isEmpty() ? c : description.startsWith(c + " ") ? description : c + " " + description;
    }
}
