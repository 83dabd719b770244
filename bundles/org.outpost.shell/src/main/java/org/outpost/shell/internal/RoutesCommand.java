/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;

/** {@code edge:routes}: the running routes and what they took. */
@Service
@Command(scope = "edge", name = "routes", description = "Lists the running routes: source, condition, sink and the"
        + " messages each took; and the messages no route took.")
public class RoutesCommand implements Action {

    @Reference
    private Routing routing;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        if (json) {
            System.out.println(Json.write(Map.of("routes", routing.routes(), "noRoute", routing.noRoute())));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Route");
        table.column("Source");
        table.column("Condition").maxSize(50);
        table.column("Sink");
        table.column("Priority").alignRight();
        table.column("TTL (s)").alignRight();
        table.column("Taken").alignRight();
        for (RouteStatus r : routing.routes()) {
            table.addRow().addContent(r.name(), r.source(), r.condition().isEmpty() ? "-" : r.condition(), r.sink(),
                    r.priority() < 0 ? "-" : r.priority(), r.timeToLiveSecs(), r.taken());
        }
        table.emptyTableText("No routes: add route.<name> = FROM ... INTO ... to etc/org.outpost.routing.cfg");
        table.print(System.out);
        System.out.println("Messages no route took: " + routing.noRoute());
        return null;
    }
}
