/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.commons.Json;
import org.outpost.metrics.api.Exposition;

/**
 * {@code edge:metrics}: the gateway's metrics, named as edgeHub's and edgeAgent's, from the registry the Prometheus
 * endpoint serves; {@code --prometheus} prints the endpoint's text.
 */
@Service
@Command(scope = "edge", name = "metrics", description = "Shows the gateway's metrics (messages received, sent,"
        + " dropped by reason, queue lengths, send durations), optionally only those whose name contains a text.")
public class MetricsCommand implements Action {

    @Reference
    private Metrics metrics;

    @Reference
    private Exposition exposition;

    @Argument(index = 0, name = "filter", description = "Show only metrics whose name contains this text")
    private String filter;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Option(name = "--prometheus", description = "Print what the Prometheus endpoint serves (the text format 0.0.4,"
            + " with the JVM's and the process's metrics)")
    private boolean prometheus;

    @Override
    public Object execute() throws java.io.IOException {
        if (prometheus) {
            exposition.write(System.out, null, name -> filter == null || name.contains(filter));
            System.out.flush();
            return null;
        }
        List<MetricSample> samples = metrics.samples().stream()
                .filter(s -> filter == null || s.name().contains(filter)).toList();
        if (json) {
            System.out.println(Json.write(samples));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Metric");
        table.column("Labels");
        table.column("Value").alignRight();
        table.column("p50").alignRight();
        table.column("p99").alignRight();
        table.column("p99.9").alignRight();
        for (MetricSample s : samples) {
            String labels = s.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            boolean summary = s.type().equals("summary");
            table.addRow().addContent(s.name(), labels, number(s.value()),
                    summary ? millis(s.quantiles().get("0.5")) : "",
                    summary ? millis(s.quantiles().get("0.99")) : "",
                    summary ? millis(s.quantiles().get("0.999")) : "");
        }
        table.emptyTableText("No metrics yet: they appear as messages flow");
        table.print(System.out);
        return null;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String millis(Double seconds) {
        return seconds == null || seconds.isNaN() ? "" : String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
    }
}
