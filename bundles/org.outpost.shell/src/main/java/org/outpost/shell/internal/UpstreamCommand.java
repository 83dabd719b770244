/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.commons.Json;

/** {@code edge:upstream}: the cloud connection's state and counters. */
@Service
@Command(scope = "edge", name = "upstream", description = "Shows the connection to the cloud: state, queued and"
        + " sent messages, last error.")
public class UpstreamCommand implements Action {

    @Reference
    private Upstream upstream;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        UpstreamStatus s = upstream.status();
        java.util.Map<String, Object> bandwidth = upstream.bandwidth();
        if (json) {
            if (bandwidth.isEmpty()) {
                System.out.println(Json.write(s));
            } else {
                // The status's fields as before, and the bandwidth control's under "bandwidth".
                com.fasterxml.jackson.databind.node.ObjectNode out =
                        (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(Json.write(s));
                out.set("bandwidth", (com.fasterxml.jackson.databind.JsonNode) Json.read(Json.write(bandwidth)));
                System.out.println(Json.write(out));
            }
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Property");
        table.column("Value").maxSize(100);
        table.addRow().addContent("URL", s.url());
        table.addRow().addContent("Client id", s.clientId());
        table.addRow().addContent("State", s.state() + since(s.connectedSince()));
        table.addRow().addContent("Queued", s.queued());
        table.addRow().addContent("Sent since the gateway started", s.sent());
        table.addRow().addContent("Expired", s.expired());
        table.addRow().addContent("Last error", s.lastError().isEmpty() ? "-" : s.lastError() + ago(s.lastErrorTime()));
        if (s.nextRetry() != null) {
            table.addRow().addContent("Next retry", "in " + Math.max(0,
                    Duration.between(Instant.now(), s.nextRetry()).toMillis()) + " ms");
        }
        bandwidth.forEach((label, value) -> table.addRow().addContent(label, value));
        table.print(System.out);
        return null;
    }

    private static String since(Instant t) {
        return t == null ? "" : " for " + Duration.between(t, Instant.now()).toSeconds() + " s";
    }

    private static String ago(Instant t) {
        return t == null ? "" : " (" + Duration.between(t, Instant.now()).toSeconds() + " s ago)";
    }
}
