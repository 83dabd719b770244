/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.hub.api.Deployments;

/** {@code hub:deployment-delete}: deletes a deployment. */
@Service
@Command(scope = "hub", name = "deployment-delete", description = "Deletes a deployment. Its devices get what their"
        + " other deployments add up to; a device no base deployment targets keeps what it runs.")
public class DeploymentDeleteCommand implements Action {

    @Reference
    private Deployments deployments;

    @Argument(index = 0, name = "id", required = true, description = "Deployment id")
    private String id;

    @Override
    public Object execute() throws Exception {
        if (!deployments.delete(id)) {
            throw new CommandException("no deployment '" + id + "' (see hub:deployments)");
        }
        System.out.println("Deployment '" + id + "' deleted.");
        return null;
    }
}
