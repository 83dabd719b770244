/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.downstream.api.ChildConnections;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.downstream.api.ChildScope;
import org.outpost.protocol.DeviceScope;

/**
 * {@code edge:children}: the devices below this gateway (its device scope), whether each is connected to the
 * gateway's endpoint now, its messages in, and the state of its relay to the hub (or the parent gateway) with the
 * reported patches it queues. {@code --scope} shows the scope itself (never a key).
 */
@Service
@Command(scope = "edge", name = "children", description = "Shows the devices below this gateway: connected or not,"
        + " messages in, relay upstream and queued reported patches.")
public class ChildrenCommand implements Action {

    @Reference(optional = true)
    private ChildScope scope;

    @Reference(optional = true)
    private ChildConnections connections;

    @Reference(optional = true)
    private ChildRelay relay;

    @Option(name = "--scope", description = "Show the device scope as stored (version, devices, which credentials"
            + " each has; no key)")
    private boolean showScope;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    /**
     * One child identity: a device of the scope, or a connected module of a child gateway.
     *
     * @param id its client id
     * @param kind device, gateway, module (or what the endpoint says it connected as)
     * @param parent its parent in the scope ({@code -} for a module)
     * @param enabled whether the hub has it enabled
     * @param connected whether it is connected now
     * @param since when it connected (null if not)
     * @param remote its address
     * @param messagesIn telemetry it sent on its connection
     * @param upstream its relay's connection: up, down, or - (no relay)
     * @param queuedReported reported patches its relay queues for the hub
     */
    record Row(String id, String kind, String parent, boolean enabled, boolean connected, Instant since,
            String remote, long messagesIn, String upstream, int queuedReported) {
    }

    @Override
    public Object execute() {
        Optional<DeviceScope> current = scope == null ? Optional.empty() : scope.current();
        if (showScope) {
            return printScope(current);
        }
        List<Row> rows = rows(current, connections == null ? List.of() : connections.connected(), relay == null
                ? List.of() : relay.links());
        if (json) {
            System.out.println(Json.write(rows));
            return null;
        }
        if (current.isEmpty()) {
            System.out.println("This gateway has no device scope yet: it has not heard from the hub which devices"
                    + " are below it (children cannot connect until it has).");
        }
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Child", "Kind", "Parent", "Enabled", "Connected", "Messages in",
            "Upstream", "Queued reported"}) {
            table.column(c);
        }
        Instant now = Instant.now();
        for (Row r : rows) {
            table.addRow().addContent(r.id(), r.kind(), r.parent(), r.enabled() ? "yes" : "no", r.connected()
                    ? "for " + Duration.between(r.since(), now).toSeconds() + " s" : "no", r.messagesIn(),
                    r.upstream(), r.queuedReported());
        }
        table.print(System.out);
        return null;
    }

    private Object printScope(Optional<DeviceScope> current) {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            current.ifPresent(s -> {
                out.put("deviceId", s.deviceId());
                out.put("version", s.version());
                out.put("devices", s.devices().stream().map(ChildrenCommand::withoutKeys).toList());
            });
            System.out.println(Json.write(out));
            return null;
        }
        if (current.isEmpty()) {
            System.out.println("No device scope yet: the gateway asks the hub for it on its $edgeHub connection.");
            return null;
        }
        DeviceScope s = current.get();
        System.out.println("Device scope of " + s.deviceId() + ", version " + s.version() + ", " + s.devices().size()
                + " devices");
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Device", "Parent", "Enabled", "Gateway", "Credentials", "Modules"}) {
            table.column(c);
        }
        for (DeviceScope.Device d : s.devices()) {
            table.addRow().addContent(d.deviceId(), d.parentId(), d.enabled() ? "yes" : "no", d.edge() ? "yes" : "no",
                    credentials(d), d.modules().stream().map(DeviceScope.Module::moduleId).toList());
        }
        table.print(System.out);
        return null;
    }

    /** @return what a device of the scope holds, without any key */
    static Map<String, Object> withoutKeys(DeviceScope.Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.deviceId());
        m.put("parentId", d.parentId());
        m.put("enabled", d.enabled());
        m.put("edge", d.edge());
        m.put("credentials", credentials(d));
        m.put("modules", d.modules().stream().map(DeviceScope.Module::moduleId).toList());
        return m;
    }

    private static String credentials(DeviceScope.Device d) {
        List<String> c = new ArrayList<>();
        if (d.primaryKey() != null || d.secondaryKey() != null) {
            c.add("SAS key");
        }
        if (d.primaryThumbprint() != null || d.secondaryThumbprint() != null) {
            c.add("X.509 thumbprint");
        }
        return c.isEmpty() ? "none" : String.join(", ", c);
    }

    /** @return a row per device of the scope, then per other child identity connected or relayed (modules) */
    static List<Row> rows(Optional<DeviceScope> scope, List<ChildConnections.Connection> connected,
            List<ChildRelay.Link> links) {
        Map<String, ChildConnections.Connection> byId = new LinkedHashMap<>();
        connected.forEach(c -> byId.put(c.identity().id(), c));
        Map<String, ChildRelay.Link> linkById = new LinkedHashMap<>();
        links.forEach(l -> linkById.put(l.identity().id(), l));
        Map<String, Row> rows = new LinkedHashMap<>();
        scope.ifPresent(s -> s.devices().forEach(d -> rows.put(d.deviceId(), row(d.deviceId(), d.edge() ? "gateway"
                : "device", d.parentId(), d.enabled(), byId.get(d.deviceId()), linkById.get(d.deviceId())))));
        List<String> others = new ArrayList<>(byId.keySet());
        linkById.keySet().stream().filter(id -> !others.contains(id)).forEach(others::add);
        for (String id : others) {
            if (!rows.containsKey(id)) {
                ChildConnections.Connection c = byId.get(id);
                ChildRelay.Link l = linkById.get(id);
                var identity = c != null ? c.identity() : l.identity();
                boolean enabled = scope.flatMap(s -> s.device(identity.deviceId())).map(DeviceScope.Device::enabled)
                        .orElse(false);
                rows.put(id, row(id, identity.kind().toString().toLowerCase(java.util.Locale.ROOT), "-", enabled, c,
                        l));
            }
        }
        return List.copyOf(rows.values());
    }

    private static Row row(String id, String kind, String parent, boolean enabled, ChildConnections.Connection c,
            ChildRelay.Link l) {
        return new Row(id, kind, parent, enabled, c != null, c == null ? null : c.since(), c == null ? "" : c
                .remote(), c == null ? 0 : c.messagesIn(), l == null ? "-" : l.upstream() ? "up" : "down", l == null
                        ? 0 : l.queuedReported());
    }
}
