/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Instant;
import java.util.regex.PatternSyntaxException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.LogQuery;

/** {@code edge:logs}: a module's newest log entries, filtered as IoT Edge's GetModuleLogs filters them. */
@Service
@Command(scope = "edge", name = "logs", description = "Shows a module's newest log entries: a container module's"
        + " output (stdout and stderr, each line with its time), or a bundle module's entries of the gateway log.")
public class LogsCommand implements Action {

    @Reference
    private Deployer deployer;

    @Argument(index = 0, name = "module", required = true, description = "The module id (see edge:list)")
    @Completion(ModuleCompleter.class)
    private String module;

    @Option(name = "--tail", aliases = "-n", description = "How many of the newest matching entries (default 50)")
    private int tail = 50;

    @Option(name = "--since", description = "Only entries since this time: a duration back from now (90s, 10m, 2h,"
            + " 1d), an RFC 3339 time (2026-11-26T10:00:00Z) or UNIX seconds")
    private String since;

    @Option(name = "--until", description = "Only entries before this time (same forms as --since)")
    private String until;

    @Option(name = "--level", description = "Only entries of this level or worse: trace, debug, info, warn, error")
    private String level;

    @Option(name = "--grep", aliases = "--regex", description = "Only entries that contain a match of this Java"
            + " regular expression")
    private String regex;

    @Override
    public Object execute() throws Exception {
        Instant now = Instant.now();
        LogQuery query;
        try {
            query = new LogQuery(tail, since == null ? null : LogQuery.time(since, now),
                    until == null ? null : LogQuery.time(until, now), level,
                    regex == null ? null : LogQuery.regex(regex));
        } catch (PatternSyntaxException e) {
            throw new CommandException("--grep: not a regular expression: " + e.getDescription() + " near index "
                    + e.getIndex());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        java.util.List<String> lines;
        try {
            lines = deployer.logs(module, query);
        } catch (IllegalArgumentException e) {
            // No such module: the operator's typo, said as such (no stack trace in the log).
            throw new CommandException(e.getMessage());
        }
        if (lines.isEmpty()) {
            boolean filtered = since != null || until != null || level != null || regex != null;
            System.out.println("No log entries for " + module + (filtered ? " that match --since, --until, --level"
                    + " or --grep" : "") + ".");
        }
        lines.forEach(System.out::println);
        return null;
    }
}
