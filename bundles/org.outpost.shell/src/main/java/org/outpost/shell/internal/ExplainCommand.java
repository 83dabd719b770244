/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.commons.ShellFiles;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.Routing;

/** {@code edge:explain}: which routes would take a message, and why the others would not. */
@Service
@Command(scope = "edge", name = "explain", description = "Says for each running route whether it takes a message,"
        + " and why not: source mismatch, condition false, or which operand of the condition was undefined.")
public class ExplainCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private Routing routing;

    @Argument(index = 0, name = "route", required = true, description = "A route name, or 'all'")
    private String route;

    @Argument(index = 1, name = "message", required = true, description = "A JSON file (or inline JSON) with the"
            + " message: {\"source\": \"/messages/modules/m/outputs/o\", \"body\": ..., \"contentType\": ...,"
            + " \"contentEncoding\": ..., \"appProperties\": {...}, \"systemProperties\": {...}}")
    private String message;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        String text = message.strip().startsWith("{") ? message : ShellFiles.read(session, message);
        List<RouteExplanation> all = routing.explain(text);
        List<RouteExplanation> shown = route.equals("all") ? all
                : all.stream().filter(e -> e.route().equals(route)).toList();
        if (shown.isEmpty()) {
            throw new CommandException("no route '" + route + "' (see edge:routes)");
        }
        if (json) {
            System.out.println(Json.write(shown));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Route");
        table.column("Taken");
        table.column("Why").maxSize(100);
        for (RouteExplanation e : shown) {
            table.addRow().addContent(e.route(), e.taken() ? "yes" : "no", e.reason());
        }
        table.print(System.out);
        return null;
    }
}
