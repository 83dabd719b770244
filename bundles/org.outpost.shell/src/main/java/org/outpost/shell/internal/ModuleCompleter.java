/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;

/** Completes module names. */
@Service
public class ModuleCompleter implements Completer {

    @Reference
    private EdgeRuntime runtime;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        runtime.modules().stream().map(ModuleInfo::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
