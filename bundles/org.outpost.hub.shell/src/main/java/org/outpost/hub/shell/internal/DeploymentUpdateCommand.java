/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

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
import org.outpost.commons.Json;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.deployments.DeploymentException;

/** {@code hub:deployment-update}: retargets a deployment (its content stays). */
@Service
@Command(scope = "hub", name = "deployment-update", description = "Changes a deployment's target condition, priority"
        + " or labels (its content cannot change). Widening the condition rolls it out further: a canary, a site,"
        + " everyone.")
public class DeploymentUpdateCommand implements Action {

    @Reference
    private Deployments deployments;

    @Argument(index = 0, name = "id", required = true, description = "Deployment id")
    private String id;

    @Option(name = "--target", description = "The new target condition, e.g. \"tags.site IN ['plant-1', 'plant-2']\"")
    private String target;

    @Option(name = "--priority", description = "The new priority (0 or more)")
    private Integer priority;

    @Option(name = "--label", multiValued = true, description = "key=value; replaces all labels (repeat it)")
    private List<String> labels;

    @Override
    public Object execute() throws Exception {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (target != null) {
            changes.put("targetCondition", target);
        }
        if (priority != null) {
            changes.put("priority", priority);
        }
        if (labels != null) {
            Map<String, String> l = new LinkedHashMap<>();
            for (String kv : labels) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new CommandException("--label takes key=value, not '" + kv + "'");
                }
                l.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            changes.put("labels", l);
        }
        if (changes.isEmpty()) {
            throw new CommandException("nothing to change: give --target, --priority or --label");
        }
        DeploymentStatus s;
        try {
            s = deployments.update(id, Json.line(changes));
        } catch (DeploymentException e) {
            throw new CommandException("Refused, nothing changed: " + e.getMessage());
        }
        System.out.println("Deployment '" + id + "' now has priority " + s.deployment().priority() + " and targets "
                + s.targeted().size() + " device(s) (" + s.deployment().targetCondition() + ").");
        return null;
    }
}
