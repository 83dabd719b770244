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
import org.outpost.commons.Json;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinException;

/** {@code hub:tags}: shows or changes a device's tags. */
@Service
@Command(scope = "hub", name = "tags", description = "Shows a device's tags, or merges a JSON patch into them (null"
        + " deletes a tag). Deployments whose target conditions read tags follow the change.")
public class TagsCommand implements Action {

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "device", required = true, description = "Device id")
    private String device;

    @Argument(index = 1, name = "patch", description = "A JSON merge patch, e.g. '{\"site\": \"plant-2\", \"env\":"
            + " null}'")
    private String patch;

    @Override
    public Object execute() throws Exception {
        if (patch == null) {
            System.out.println(Json.write(Json.read(twins.tags(device).toString())));
            return null;
        }
        try {
            System.out.println(Json.write(Json.read(twins.patchTags(device, patch).toString())));
        } catch (TwinException e) {
            throw new CommandException("Refused, the tags are unchanged: " + e.getMessage());
        }
        return null;
    }
}
