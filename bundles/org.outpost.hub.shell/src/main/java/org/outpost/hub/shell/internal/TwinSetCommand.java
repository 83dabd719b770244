/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;


import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.ShellFiles;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;

/** {@code hub:twin-set}: patches (or replaces) the desired properties of a device's or a module's twin. */
@Service
@Command(scope = "hub", name = "twin-set", description = "Patches the desired properties of a twin with a JSON merge"
        + " patch (null deletes a key); --replace sets them whole. A connected device gets the change at once, an"
        + " offline one when it next connects.")
public class TwinSetCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private Twins twins;

    @Option(name = "--module", aliases = "-m", description = "A module id ($edgeAgent, $edgeHub, or a module); none"
            + " for the device's own twin")
    private String module;

    @Option(name = "--replace", description = "Replace the desired properties instead of merging")
    private boolean replace;

    @Option(name = "--file", aliases = "-f", description = "Read the JSON from this file instead of the argument")
    private String file;

    @Argument(index = 0, name = "device", required = true, description = "The device id (see hub:devices)")
    private String device;

    @Argument(index = 1, name = "json", description = "The patch, e.g. {\"interval\": 5}")
    private String json;

    @Override
    public Object execute() throws Exception {
        String patch = file != null ? ShellFiles.read(session, file) : json;
        if (patch == null) {
            throw new CommandException("Give the desired properties as an argument or with --file <path>");
        }
        try {
            TwinDocument t = replace ? twins.replaceDesired(device, module, patch)
                    : twins.patchDesired(device, module, patch);
            System.out.println("Desired properties of " + device + (module == null ? "" : "/" + module)
                    + " are at version " + t.desiredVersion());
        } catch (TwinException e) {
            throw new CommandException("Refused, nothing changed: " + e.getMessage());
        }
        return null;
    }
}
