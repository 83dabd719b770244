/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;

/** {@code edge:routes}: the running routes and what they took, and what waits at each endpoint. */
@Service
@Command(scope = "edge", name = "routes", description = "Lists the running routes (source, condition, sink, the"
        + " messages each took), the messages no route took, and each endpoint's queue: depth per priority, bytes,"
        + " oldest message, rejected, dropped and expired messages.")
public class RoutesCommand implements Action {

    @Reference
    private Routing routing;

    /** The upstream's per-route bandwidth settings (batching, compression, rate), when there is an upstream. */
    @Reference(optional = true)
    private org.outpost.api.runtime.Upstream upstream;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    /** @return each route's own settings for its messages to $upstream (etc/org.outpost.upstream.cfg) */
    private Map<String, String> upstreamSettings() {
        return upstream == null ? Map.of() : upstream.routeBandwidth();
    }

    @Override
    public Object execute() {
        if (json) {
            System.out.println(Json.write(Map.of("routes", routing.routes(), "upstreamSettings", upstreamSettings(), "origin", routing.routesOrigin(),
                    "noRoute", routing.noRoute(), "noRouteTwinChanges", routing.noRouteTwinChanges(),
                    "endpoints", routing.endpoints(), "lastRejection",
                    routing.lastRejection().orElse(""))));
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
        table.column("Upstream settings");
        Map<String, String> upstreamSettings = upstreamSettings();
        for (RouteStatus r : routing.routes()) {
            table.addRow().addContent(r.name(), r.source(), r.condition().isEmpty() ? "-" : r.condition(), r.sink(),
                    r.priority() < 0 ? "-" : r.priority(), r.timeToLiveSecs(), r.taken(),
                    upstreamSettings.getOrDefault(r.name(), "-"));
        }
        table.emptyTableText("No routes: add them to etc/edgehub.json ({\"routes\": {\"name\": \"FROM ... INTO ...\"}})"
                + " or load a deployment with edge:routes-set");
        table.print(System.out);
        System.out.println("Routes from: " + routing.routesOrigin());
        long twinChanges = routing.noRouteTwinChanges();
        System.out.println("Messages no route took: " + routing.noRoute() + (twinChanges == 0 ? "" : " (" + twinChanges
                + " of them twin change notifications: modules reported properties and no route takes"
                + " /twinChangeNotifications, which is normal unless you want them routed)"));
        routing.lastRejection().ifPresent(r -> System.out.println("Last rejected route set: " + r));
        System.out.println();
        ShellTable endpoints = new ShellTable();
        endpoints.column("Endpoint");
        endpoints.column("Queued").alignRight();
        endpoints.column("By priority");
        endpoints.column("Bytes").alignRight();
        endpoints.column("Bound").alignRight();
        endpoints.column("When full");
        endpoints.column("Oldest");
        endpoints.column("Rejected").alignRight();
        endpoints.column("Dropped").alignRight();
        endpoints.column("Expired").alignRight();
        Instant now = Instant.now();
        for (EndpointStatus e : routing.endpoints()) {
            String byPriority = e.byPriority().isEmpty() ? "-" : e.byPriority().entrySet().stream()
                    .map(p -> "p" + p.getKey() + ":" + p.getValue()).collect(Collectors.joining(" "));
            String oldest = e.oldest() == null ? "-" : Duration.between(e.oldest(), now).toSeconds() + " s ago";
            endpoints.addRow().addContent(e.endpoint(), e.messages(), byPriority, e.bytes(), e.maxBytes(),
                    e.whenFull(), oldest, e.rejected(), e.droppedFull(), e.expired());
        }
        endpoints.print(System.out);
        return null;
    }
}
