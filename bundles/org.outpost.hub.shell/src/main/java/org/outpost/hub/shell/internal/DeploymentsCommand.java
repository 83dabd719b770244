/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;

/** {@code hub:deployments}: every deployment with its counts. */
@Service
@Command(scope = "hub", name = "deployments", description = "Lists the deployments, highest priority first, with how"
        + " many devices each targets, was applied to, and report success or failure.")
public class DeploymentsCommand implements Action {

    @Reference
    private Deployments deployments;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        List<DeploymentStatus> all = deployments.deployments();
        if (json) {
            System.out.println(Json.write(all.stream().map(DeploymentCommand::summary).toList()));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Deployment");
        table.column("Kind");
        table.column("Priority").alignRight();
        table.column("Target condition").maxSize(50);
        table.column("Targeted").alignRight();
        table.column("Applied").alignRight();
        table.column("Succeeded").alignRight();
        table.column("Failed").alignRight();
        table.column("Pending").alignRight();
        for (DeploymentStatus s : all) {
            Map<String, Object> m = DeploymentCommand.summary(s);
            table.addRow().addContent(m.get("id"), s.deployment().layered() ? "layered" : "base", m.get("priority"),
                    m.get("targetCondition"), s.targeted().size(), s.applied().size(), s.succeeded().size(),
                    s.failed().size(), s.pending().size());
        }
        table.emptyTableText("No deployments. Create one with hub:deployment-create <file>.");
        table.print(System.out);
        return null;
    }
}
