/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;


import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.ShellFiles;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.deployments.DeploymentException;

/** {@code hub:deployment-create}: stores a deployment; the hub sets it on the devices it targets. */
@Service
@Command(scope = "hub", name = "deployment-create", description = "Creates a deployment from a JSON file (IoT Hub's"
        + " shape: id, priority, targetCondition, labels, layered, content.modulesContent). The hub sets it on every"
        + " device it targets, now and as devices and tags change; follow it with hub:deployment <id>.")
public class DeploymentCreateCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private Deployments deployments;

    @Argument(index = 0, name = "file", required = true, description = "The deployment object, a JSON file")
    private String file;

    @Override
    public Object execute() throws Exception {
        DeploymentStatus s;
        try {
            s = deployments.create(ShellFiles.read(session, file));
        } catch (DeploymentException e) {
            throw new CommandException("Refused, nothing changed: " + e.getMessage());
        }
        System.out.println("Deployment '" + s.deployment().id() + "' created (" + (s.deployment().layered()
                ? "layered" : "base") + ", priority " + s.deployment().priority() + "). It targets "
                + s.targeted().size() + " device(s) now; follow it with hub:deployment " + s.deployment().id() + ".");
        return null;
    }
}
