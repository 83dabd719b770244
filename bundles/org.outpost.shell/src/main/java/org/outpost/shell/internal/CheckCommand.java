/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.broker.api.Broker;
import org.outpost.commons.Json;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.routing.api.Routing;

/** {@code edge:check}: first diagnostics, each with what to do when it is not ok. */
@Service
@Command(scope = "edge", name = "check", description = "Checks the gateway: broker and router, cloud connection, disk"
        + " space for the journal, clock, and every deployed module in its desired state.")
public class CheckCommand implements Action {

    /** Below this, the journal may soon refuse messages. */
    private static final long MIN_FREE_BYTES = 512L * 1024 * 1024;

    @Reference
    private Routing routing;

    @Reference
    private Upstream upstream;

    @Reference
    private Deployer deployer;

    @Reference
    private Broker broker;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    /** One check: ok, warn or fail, and what it found. */
    record Check(String check, String result, String detail) {
    }

    @Override
    public Object execute() throws IOException {
        List<Check> checks = new ArrayList<>();
        long queued = routing.endpoints().stream().mapToLong(e -> e.messages()).sum();
        checks.add(new Check("broker and router", "ok", routing.routes().size() + " routes, " + queued
                + " messages queued"));
        UpstreamStatus u = upstream.status();
        checks.add(u.state().equals("connected") ? new Check("cloud connection", "ok", u.url() + " as " + u.clientId())
                : new Check("cloud connection", "warn", u.state() + " to " + u.url() + (u.lastError().isEmpty() ? ""
                        : ": " + u.lastError()) + "; messages wait in the queue. Check url and username in"
                        + " etc/org.outpost.upstream.cfg, and the device key (device.key) or password"
                        + " (upstream.password) in etc/outpost-secrets/gateway.properties"));
        checks.add(BrokerStorageCheck.of(broker.storage()));
        Path data = Path.of(System.getProperty("karaf.data", "data"));
        FileStore store = Files.getFileStore(data);
        long free = store.getUsableSpace();
        checks.add(free >= MIN_FREE_BYTES ? new Check("disk space", "ok", free / (1024 * 1024) + " MB free for "
                + data) : new Check("disk space", "fail", "only " + free / (1024 * 1024) + " MB free for " + data
                        + ": the journal will refuse messages; free space or lower"
                        + " storeAndForward.maxBytesPerEndpoint"));
        Instant now = Instant.now();
        checks.add(now.isAfter(Instant.parse("2025-01-01T00:00:00Z")) ? new Check("clock", "ok", now.toString())
                : new Check("clock", "fail", now + " is in the past: set the time (NTP); message times and TLS"
                        + " certificates depend on it"));
        DeploymentStatus status = deployer.status();
        Map<String, String> wrong = new LinkedHashMap<>();
        status.modules().forEach((name, m) -> {
            if (!m.status().equals(m.runtimeStatus())) {
                wrong.put(name, m.runtimeStatus() + " (desired " + m.status() + ")" + (m.statusDescription().isEmpty()
                        ? "" : ": " + m.statusDescription()));
            }
        });
        checks.add(status.lastDesiredStatus() == null ? new Check("deployment", "ok", "no deployment yet; modules"
                + " in deploy/ run unmanaged")
                : status.lastDesiredStatus().code() != 200 ? new Check("deployment", "fail",
                        status.lastDesiredStatus().description())
                : wrong.isEmpty() ? new Check("deployment", "ok", status.modules().size() + " modules in their"
                        + " desired state")
                        : new Check("deployment", "warn", wrong.entrySet().stream().map(e -> e.getKey() + " is "
                                + e.getValue()).collect(java.util.stream.Collectors.joining("; "))
                                + ". See edge:status and edge:logs <module>"));
        if (json) {
            System.out.println(Json.write(checks));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Result");
        table.column("Detail").maxSize(100);
        checks.forEach(c -> table.addRow().addContent(c.check(), c.result(), c.detail()));
        table.print(System.out);
        return null;
    }
}
