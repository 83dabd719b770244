/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.Checks;
import org.outpost.commons.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link Checks}: the whiteboard of {@link Check} services, run in parallel, each bounded by
 * {@code timeout.seconds}. A check that did not answer in time is reported critical and is not started again while
 * it still runs, so a hanging check holds one thread, not one per run. A report is reused for {@code cache.seconds}.
 */
@Component(service = Checks.class, configurationPid = HealthConfig.PID)
@Designate(ocd = HealthConfig.class)
public final class CheckRunner implements Checks {

    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    /** A registered check with its service properties. */
    record Registered(Check check, String name, List<String> tags) {
    }

    private record Cached(Instant at, List<Report> reports) {
    }

    private final Map<Check, Registered> checks = new ConcurrentHashMap<>();
    private final Map<Check, Future<CheckResult>> running = new ConcurrentHashMap<>();
    private final Map<Set<String>, Cached> cache = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.numbered("outpost-health"));
    private final Clock clock;
    private volatile Duration timeout;
    private volatile Duration cacheFor;

    @Activate
    public CheckRunner(HealthConfig config) {
        this(Clock.systemUTC(), Duration.ofSeconds(Math.max(1, config.timeout_seconds())),
                Duration.ofSeconds(Math.max(0, config.cache_seconds())));
    }

    CheckRunner(Clock clock, Duration timeout, Duration cacheFor) {
        this.clock = clock;
        this.timeout = timeout;
        this.cacheFor = cacheFor;
    }

    @Modified
    void modified(HealthConfig config) {
        timeout = Duration.ofSeconds(Math.max(1, config.timeout_seconds()));
        cacheFor = Duration.ofSeconds(Math.max(0, config.cache_seconds()));
        cache.clear();
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(Check check, Map<String, Object> properties) {
        Object name = properties.get(Check.NAME);
        String shown = name instanceof String s && !s.isBlank() ? s : check.getClass().getName();
        checks.put(check, new Registered(check, shown, tags(properties.get(Check.TAGS))));
        cache.clear();
    }

    void removeCheck(Check check, Map<String, Object> properties) {
        checks.remove(check);
        running.remove(check);
        cache.clear();
    }

    static List<String> tags(Object value) {
        if (value instanceof String s) {
            return List.of(s.split("\\s*,\\s*")).stream().filter(t -> !t.isBlank()).toList();
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Override
    public List<Report> run(Set<String> tags) {
        Set<String> key = Set.copyOf(tags);
        Cached cached = cache.get(key);
        Instant now = clock.instant();
        if (cached != null && !now.isAfter(cached.at().plus(cacheFor)) && !cacheFor.isZero()) {
            return cached.reports();
        }
        List<Registered> selected = checks.values().stream()
                .filter(r -> key.isEmpty() || r.tags().stream().anyMatch(key::contains)).toList();
        List<Started> started = new ArrayList<>();
        for (Registered r : selected) {
            started.add(start(r));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Report> reports = new ArrayList<>();
        for (Started s : started) {
            reports.add(finish(s, deadline));
        }
        reports.sort(Comparator.comparing(Report::name));
        List<Report> result = List.copyOf(reports);
        cache.put(key, new Cached(clock.instant(), result));
        return result;
    }

    private record Started(Registered check, Future<CheckResult> future, long startNanos, boolean stillRunning) {
    }

    private Started start(Registered r) {
        Future<CheckResult> previous = running.get(r.check());
        if (previous != null && !previous.isDone()) {
            return new Started(r, previous, System.nanoTime(), true);
        }
        Future<CheckResult> future = executor.submit(() -> r.check().run());
        running.put(r.check(), future);
        return new Started(r, future, System.nanoTime(), false);
    }

    private Report finish(Started s, long deadline) {
        CheckResult result;
        try {
            result = s.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (result == null) {
                result = CheckResult.critical("the check returned nothing", "report this to the check's author");
            }
        } catch (TimeoutException e) {
            result = CheckResult.critical((s.stillRunning() ? "still running since an earlier run: " : "")
                    + "no answer within " + timeout.toSeconds() + " s", "see the gateway log (data/log/karaf.log)"
                    + " for what it waits on; raise timeout.seconds in etc/" + HealthConfig.PID + ".cfg if it is"
                    + " only slow");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warn("Health check '{}' failed", s.check().name(), cause);
            result = CheckResult.critical("the check failed: " + cause, "see the gateway log (data/log/karaf.log)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = CheckResult.critical("interrupted", "run the checks again");
        }
        return new Report(s.check().name(), s.check().tags(), result,
                Duration.ofNanos(System.nanoTime() - s.startNanos()));
    }
}
