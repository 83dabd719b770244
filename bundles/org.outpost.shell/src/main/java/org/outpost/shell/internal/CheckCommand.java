/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.health.CheckResult.Level;
import org.outpost.api.health.Checks;
import org.outpost.commons.Json;

/**
 * {@code edge:check}: the gateway's health checks ({@code org.outpost.api.health.Check} services, the built-in ones
 * and any a bundle adds), each with what to do when it is not ok; {@code iotedge check}'s counterpart.
 */
@Service
@Command(scope = "edge", name = "check", description = "Runs the gateway's health checks (certificates, cloud"
        + " connection, DNS, clock, ports, disk and journal, deployment and modules, configuration, router) and says"
        + " what to do about each that is not ok.")
public class CheckCommand implements Action {

    @Reference
    Checks checks;

    @Option(name = "--tags", description = "Run only the checks with one of these tags (comma-separated), e.g."
            + " connectivity,storage")
    String tags;

    @Option(name = "--json", description = "Print JSON for scripts: status (the worst level) and each check's"
            + " check, result (ok, warn, critical), detail, action, tags and millis")
    boolean json;

    @Option(name = "--strict", description = "After printing, fail (exit code 1 in bin/outpost-shell scripts) when a"
            + " check is critical, as iotedge check does")
    boolean strict;

    @Override
    public Object execute() throws CommandException {
        Set<String> selected = tags == null ? Set.of() : Arrays.stream(tags.split(",")).map(String::strip)
                .filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        List<Checks.Report> reports = checks.run(selected);
        Level worst = reports.stream().map(r -> r.result().level()).max(Comparator.naturalOrder()).orElse(Level.OK);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", worst.label());
            out.put("checks", reports.stream().map(CheckCommand::row).toList());
            System.out.println(Json.write(out));
        } else {
            print(reports, selected);
        }
        if (strict && worst == Level.CRITICAL) {
            throw new CommandException("critical: " + reports.stream().filter(r -> r.result().level()
                    == Level.CRITICAL).map(Checks.Report::name).collect(Collectors.joining(", ")));
        }
        return null;
    }

    private static void print(List<Checks.Report> reports, Set<String> selected) {
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Result");
        table.column("Detail").maxSize(90);
        table.column("What to do").maxSize(70);
        reports.forEach(r -> table.addRow().addContent(r.name(), r.result().level().label(), r.result().detail(),
                r.result().action()));
        table.print(System.out);
        Map<Level, Long> counts = reports.stream().collect(Collectors.groupingBy(r -> r.result().level(),
                Collectors.counting()));
        System.out.println(reports.size() + " checks: " + counts.getOrDefault(Level.OK, 0L) + " ok, "
                + counts.getOrDefault(Level.WARN, 0L) + " warn, " + counts.getOrDefault(Level.CRITICAL, 0L)
                + " critical" + (selected.isEmpty() ? "" : " (tags " + String.join(", ", selected) + ")"));
    }

    static Map<String, Object> row(Checks.Report r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("check", r.name());
        row.put("result", r.result().level().label());
        row.put("detail", r.result().detail());
        row.put("action", r.result().action());
        row.put("tags", r.tags());
        row.put("millis", r.took().toMillis());
        return row;
    }
}
