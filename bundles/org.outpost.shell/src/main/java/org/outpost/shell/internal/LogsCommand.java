/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.deployment.api.Deployer;

/** {@code edge:logs}: a module's newest log lines. */
@Service
@Command(scope = "edge", name = "logs", description = "Shows a module's newest log lines: a container module's"
        + " output (stdout and stderr), or a bundle module's lines of the gateway log.")
public class LogsCommand implements Action {

    @Reference
    private Deployer deployer;

    @Argument(index = 0, name = "module", required = true, description = "The module id (see edge:list)")
    @Completion(ModuleCompleter.class)
    private String module;

    @Option(name = "--tail", aliases = "-n", description = "How many of the newest lines (default 50)")
    private int tail = 50;

    @Override
    public Object execute() throws Exception {
        deployer.logs(module, tail).forEach(System.out::println);
        return null;
    }
}
