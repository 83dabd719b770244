/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.LinkedHashMap;
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
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;

/** {@code hub:deployment}: one deployment's status, device by device. */
@Service
@Command(scope = "hub", name = "deployment", description = "Shows a deployment's status: the devices it targets and"
        + " how each is doing, with the reason of each failure.")
public class DeploymentCommand implements Action {

    @Reference
    private Deployments deployments;

    @Argument(index = 0, name = "id", required = true, description = "Deployment id")
    private String id;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        DeploymentStatus s = deployments.deployment(id).orElseThrow(() -> new CommandException(
                "no deployment '" + id + "' (see hub:deployments)"));
        if (json) {
            Map<String, Object> out = summary(s);
            out.put("labels", s.deployment().labels());
            out.put("content", Json.read(s.deployment().modulesContent().toString()));
            out.put("targetedDevices", s.targeted());
            out.put("appliedDevices", s.applied());
            out.put("succeededDevices", s.succeeded());
            out.put("failedDevices", s.failed());
            out.put("pendingDevices", s.pending());
            System.out.println(Json.write(out));
            return null;
        }
        System.out.println("Deployment '" + id + "' (" + (s.deployment().layered() ? "layered" : "base")
                + ", priority " + s.deployment().priority() + ", created " + s.deployment().createdTimeUtc() + ")");
        System.out.println("Target: " + s.deployment().targetCondition());
        System.out.println("Targeted " + s.targeted().size() + ", applied " + s.applied().size() + ", succeeded "
                + s.succeeded().size() + ", failed " + s.failed().size() + ", pending " + s.pending().size());
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("State");
        table.column("Reason").maxSize(100);
        for (String device : s.targeted()) {
            String state;
            String reason = "";
            if (s.failed().containsKey(device)) {
                state = "failed";
                reason = s.failed().get(device);
            } else if (s.succeeded().contains(device)) {
                state = "succeeded";
            } else if (s.pending().contains(device)) {
                state = "pending";
                reason = "set on the device; waiting for its report";
            } else {
                state = "not applied";
                reason = "another deployment wins, or the hub is still on its way to it";
            }
            table.addRow().addContent(device, state, reason);
        }
        // Devices still running it though no longer targeted (their tags changed while the hub recomputes).
        s.applied().stream().filter(d -> !s.targeted().contains(d)).forEach(d -> table.addRow().addContent(d,
                "leaving", "no longer targeted"));
        table.emptyTableText("(no device targeted)");
        table.print(System.out);
        return null;
    }

    /** @return the counts of a deployment, as --json prints them */
    static Map<String, Object> summary(DeploymentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.deployment().id());
        m.put("priority", s.deployment().priority());
        m.put("layered", s.deployment().layered());
        m.put("targetCondition", s.deployment().targetCondition().toString());
        m.put("createdTimeUtc", s.deployment().createdTimeUtc());
        m.put("systemMetrics", s.systemMetrics());
        return m;
    }
}
