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
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;

/** {@code edge:restart}: stops and starts a module. */
@Service
@Command(scope = "edge", name = "restart", description = "Restarts a module (deployed or not): its bundle is stopped"
        + " and started again.")
public class RestartCommand implements Action {

    @Reference
    private Deployer deployer;

    @Reference
    private EdgeRuntime runtime;

    @Argument(index = 0, name = "module", required = true, description = "The module id (see edge:list)")
    @Completion(ModuleCompleter.class)
    private String module;

    @Override
    public Object execute() throws Exception {
        deployer.restart(module);
        System.out.println("Module " + module + " restarted: "
                + runtime.module(module).map(m -> m.state().label()).orElse("unknown"));
        return null;
    }
}
