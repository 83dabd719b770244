/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.outpost.api.health.CheckResult.Level;
import org.outpost.api.health.Checks;
import org.outpost.commons.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gateway's health in {@code $edgeAgent}'s reported properties, {@code "health"}: the worst level, the count of
 * each, and the checks that are not ok (check, result, detail, action). The checks run on a thread of their own
 * every report interval (they may take seconds), and the twin reports the last result, so a slow check never holds
 * up the twins. Only what changes is reported: no time stamps, the ok checks' details left out.
 */
final class HealthReport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthReport.class);
    /** IoT Hub allows 4 KB per string value; details are for people and stay much shorter. */
    static final int MAX_TEXT = 512;

    private final ObjectMapper json;
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-cloud-health"));
    private volatile Checks checks;
    private volatile ObjectNode last;

    private final long everySeconds;

    HealthReport(ObjectMapper json, long everySeconds) {
        this.json = json;
        this.everySeconds = Math.max(1, everySeconds);
    }

    /** Starts running the checks every interval (once the twins are up: a failed start leaves no thread behind). */
    void start() {
        runner.scheduleWithFixedDelay(this::refresh, 0, everySeconds, TimeUnit.SECONDS);
    }

    void bind(Checks c) {
        checks = c;
        try {
            runner.execute(this::refresh);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("The twins are stopping: health is reported at their next start");
        }
    }

    void unbind(Checks c) {
        if (checks == c) {
            checks = null;
            last = null;
        }
    }

    /** @return the last health, if the checks ran */
    Optional<ObjectNode> current() {
        ObjectNode h = last;
        return Optional.ofNullable(h == null ? null : h.deepCopy());
    }

    private void refresh() {
        Checks c = checks;
        if (c == null) {
            return;
        }
        try {
            last = toJson(c.run(Set.of()), json);
        } catch (RuntimeException e) {
            LOG.warn("Cannot run the health checks for the $edgeAgent twin: {}", e.toString());
        }
    }

    static ObjectNode toJson(List<Checks.Report> reports, ObjectMapper json) {
        ObjectNode health = json.createObjectNode();
        Level worst = reports.stream().map(r -> r.result().level()).max(Comparator.naturalOrder()).orElse(Level.OK);
        health.put("status", worst.label());
        for (Level l : Level.values()) {
            health.put(l.label(), reports.stream().filter(r -> r.result().level() == l).count());
        }
        ArrayNode failing = health.putArray("failing");
        for (Checks.Report r : reports) {
            if (r.result().level() != Level.OK) {
                failing.addObject().put("check", r.name()).put("result", r.result().level().label())
                        .put("detail", cut(r.result().detail())).put("action", cut(r.result().action()));
            }
        }
        return health;
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 3) + "...";
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
