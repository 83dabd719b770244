/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;


import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.ShellFiles;
import org.outpost.routing.api.Routing;

/** {@code edge:routes-set}: replaces the routes with those of an IoT Edge {@code $edgeHub} section. */
@Service
@Command(scope = "edge", name = "routes-set", description = "Replaces the routes with those in a JSON file in IoT"
        + " Edge's $edgeHub shape (a deployment manifest, the $edgeHub section or {\"routes\": ...}). A set with any"
        + " error is rejected whole; the running routes stay. Queued messages are kept.")
public class RoutesSetCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private Routing routing;

    @Argument(index = 0, name = "file", required = true, description = "The JSON file")
    private String file;

    @Override
    public Object execute() throws Exception {
        String routes = ShellFiles.read(session, file);
        try {
            routing.setRoutes(routes);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException("Refused, the running routes are unchanged: " + e.getMessage());
        }
        System.out.println("Routes replaced from " + ShellFiles.resolve(session, file) + "; see edge:routes.");
        return null;
    }
}
