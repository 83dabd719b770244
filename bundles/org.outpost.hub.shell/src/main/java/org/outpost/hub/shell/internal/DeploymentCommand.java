/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;

/** {@code hub:deployment}: one deployment's status, device by device. */
@Service
@Command(scope = "hub", name = "deployment", description = "Shows a deployment's status: the devices it targets and"
        + " how each is doing, with the reason of each failure.")
public class DeploymentCommand implements Action {

    @Reference
    private Deployments deployments;

    @Argument(index = 0, name = "id", required = true, description = "Deployment id")
    private String id;

    @Option(name = "--json", description = "Print JSON for scripts (with --watch: one line of counts per change)")
    private boolean json;

    @Option(name = "--watch", description = "Follow the rollout: a progress line each time the counts change, each"
            + " failure with its reason, until every targeted device succeeded or failed (or --timeout, or Ctrl-C);"
            + " then the device table")
    private boolean watch;

    @Option(name = "--timeout", description = "With --watch: stop watching after this many seconds (default 600)")
    private int timeout = 600;

    @Override
    public Object execute() throws Exception {
        DeploymentStatus found = deployments.deployment(id).orElseThrow(() -> new CommandException(
                "no deployment '" + id + "' (see hub:deployments)"));
        DeploymentStatus s = watch ? watch(found) : found;
        if (json && watch) {
            return null;
        }
        if (json) {
            Map<String, Object> out = summary(s);
            out.put("labels", s.deployment().labels());
            out.put("content", Json.read(s.deployment().modulesContent().toString()));
            out.put("targetedDevices", s.targeted());
            out.put("appliedDevices", s.applied());
            out.put("succeededDevices", s.succeeded());
            out.put("failedDevices", s.failed());
            out.put("pendingDevices", s.pending());
            System.out.println(Json.write(out));
            return null;
        }
        System.out.println("Deployment '" + id + "' (" + (s.deployment().layered() ? "layered" : "base")
                + ", priority " + s.deployment().priority() + ", created " + s.deployment().createdTimeUtc() + ")");
        System.out.println("Target: " + s.deployment().targetCondition());
        System.out.println("Targeted " + s.targeted().size() + ", applied " + s.applied().size() + ", succeeded "
                + s.succeeded().size() + ", failed " + s.failed().size() + ", pending " + s.pending().size());
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("State");
        table.column("Reason").maxSize(100);
        for (String device : s.targeted()) {
            String state;
            String reason = "";
            if (s.failed().containsKey(device)) {
                state = "failed";
                reason = s.failed().get(device);
            } else if (s.succeeded().contains(device)) {
                state = "succeeded";
            } else if (s.pending().contains(device)) {
                state = "pending";
                reason = "set on the device; waiting for its report";
            } else {
                state = "not applied";
                reason = "another deployment wins, or the hub is still on its way to it";
            }
            table.addRow().addContent(device, state, reason);
        }
        // Devices still running it though no longer targeted (their tags changed while the hub recomputes).
        s.applied().stream().filter(d -> !s.targeted().contains(d)).forEach(d -> table.addRow().addContent(d,
                "leaving", "no longer targeted"));
        table.emptyTableText("(no device targeted)");
        table.print(System.out);
        return null;
    }

    /** Prints the rollout's progress until it settles, times out or is interrupted; @return its last status */
    private DeploymentStatus watch(DeploymentStatus first) throws CommandException {
        RolloutProgress progress = new RolloutProgress();
        long start = System.nanoTime();
        long end = start + java.time.Duration.ofSeconds(Math.max(1, timeout)).toNanos();
        DeploymentStatus s = first;
        while (true) {
            java.time.Duration elapsed = java.time.Duration.ofNanos(System.nanoTime() - start);
            List<String> lines = progress.poll(s.targeted(), s.applied(), s.succeeded(), s.failed(), s.pending(),
                    elapsed);
            if (json && !lines.isEmpty()) {
                Map<String, Object> line = new LinkedHashMap<>(s.systemMetrics());
                line.put("elapsedMillis", elapsed.toMillis());
                line.put("failedDevices", s.failed());
                System.out.println(Json.line(line));
            } else {
                lines.forEach(System.out::println);
            }
            System.out.flush();
            if (RolloutProgress.settled(s.targeted(), s.succeeded(), s.failed())) {
                return s;
            }
            if (System.nanoTime() - end > 0) {
                System.out.println("Still rolling out after " + timeout + " s; hub:deployment " + id + " --watch"
                        + " follows it again.");
                return s;
            }
            try {
                Thread.sleep(1000); // the shell's own pace: a person reads along
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            s = deployments.deployment(id).orElseThrow(() -> new CommandException("deployment '" + id + "' was"
                    + " deleted while watching"));
        }
    }

    /** @return the counts of a deployment, as --json prints them */
    static Map<String, Object> summary(DeploymentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.deployment().id());
        m.put("priority", s.deployment().priority());
        m.put("layered", s.deployment().layered());
        m.put("targetCondition", s.deployment().targetCondition().toString());
        m.put("createdTimeUtc", s.deployment().createdTimeUtc());
        m.put("systemMetrics", s.systemMetrics());
        return m;
    }
}
