/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.twin.api.GatewayTwins;

/** {@code edge:twin-report}: patches a module's reported properties, as the module would. */
@Service
@Command(scope = "edge", name = "twin-report", description = "Patches a module's reported properties as if the module"
        + " had (a JSON merge patch: null deletes a key); sent to the cloud at once, or when it is back.")
public class TwinReportCommand implements Action {

    @Reference
    private GatewayTwins twins;

    @Argument(index = 0, name = "module", required = true, description = "The module id (see edge:list)")
    @Completion(ModuleCompleter.class)
    private String module;

    @Argument(index = 1, name = "patch", required = true, description = "The patch, a JSON object in single quotes,"
            + " e.g. '{\"firmware\": \"1.2\"}'")
    private String patch;

    @Override
    public Object execute() {
        long version = twins.patchReported(module, patch);
        System.out.println("Reported properties of " + module + " patched: version " + version);
        return null;
    }
}
