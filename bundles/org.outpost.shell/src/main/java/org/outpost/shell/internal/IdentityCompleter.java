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
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

/** Completes the ids of modules that have an identity. */
@Service
public class IdentityCompleter implements Completer {

    @Reference
    private ModuleIdentities identities;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        identities.identities().stream().map(ModuleIdentity::moduleId).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
