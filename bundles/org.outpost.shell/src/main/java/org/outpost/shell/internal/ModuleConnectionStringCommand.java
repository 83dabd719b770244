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
import org.apache.karaf.shell.support.CommandException;
import org.outpost.identity.api.ModuleIdentities;

/**
 * {@code edge:module-connection-string <module>}: the module's connection string for local debugging, as IoT Edge's
 * simulator gives it ({@code EdgeHubConnectionString}). It holds the module's key.
 */
@Service
@Command(scope = "edge", name = "module-connection-string", description = "Prints a module's connection string"
        + " (HostName=<hub>;DeviceId=<gateway>;ModuleId=<module>;SharedAccessKey=<its key>;GatewayHostName=<gateway"
        + " host>) for EdgeHubConnectionString when running the module by hand; with EdgeModuleCACertificateFile"
        + " set to the file edge:ca prints. It holds the module's key: keep it secret.")
public class ModuleConnectionStringCommand implements Action {

    @Reference
    ModuleIdentities identities;

    @Argument(index = 0, name = "module", required = true, description = "The module id (see edge:identities)")
    @Completion(IdentityCompleter.class)
    String module;

    @Override
    public Object execute() throws CommandException {
        try {
            System.out.println(identities.connectionString(module));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), e);
        }
        return null;
    }
}
