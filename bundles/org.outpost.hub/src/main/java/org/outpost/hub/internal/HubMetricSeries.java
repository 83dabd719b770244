/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.DaemonThreads;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.metrics.MetricSeries;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics at the hub: recognises the metrics-collector messages among the telemetry ({@link MetricsPayload}) and
 * stores their values as time series of their device; samples the fleet's own series every
 * {@code fleet.sample.seconds} ({@link FleetSample}); deletes raw points after {@code raw.retention.hours} and rollups
 * after {@code rollup.retention.days}; and answers queries ({@link MetricQueries}). Writes run on one thread of their
 * own, never on the ingestion's: a full backlog ({@value #BACKLOG} messages) drops metrics, counted and logged, and
 * never holds telemetry back.
 */
@Component(service = MetricSeries.class, configurationPid = HubMetricSeries.PID)
@Designate(ocd = HubMetricSeries.Config.class)
public final class HubMetricSeries implements MetricSeries {

    static final String PID = "org.outpost.hub.metrics";

    @ObjectClassDefinition(name = "Outpost hub metrics", description = "Metric time series at the hub: what gateways"
            + " upload and the fleet's own, their retention.")
    public @interface Config {
        @AttributeDefinition(description = "Hours raw points are kept.")
        int raw_retention_hours() default 24;

        @AttributeDefinition(description = "Minutes per rollup bucket (min, max, mean, last). A change applies to"
                + " the buckets written from then on.")
        int rollup_minutes() default 5;

        @AttributeDefinition(description = "Days rollups are kept.")
        int rollup_retention_days() default 30;

        @AttributeDefinition(description = "Minutes between two deletions of what is past its retention.")
        int retention_check_minutes() default 10;

        @AttributeDefinition(description = "Seconds between two samples of the fleet's own series; 0 for none.")
        int fleet_sample_seconds() default 60;

        @AttributeDefinition(description = "Series one device may have at most; values of further series are left"
                + " out (a guard against labels without end).")
        int max_series_per_device() default 2000;
    }

    /** Metrics messages waiting to be written, at most. */
    static final int BACKLOG = 10_000;
    /** How far ahead of the hub's clock a value may be (a gateway's clock may be a little ahead). */
    static final Duration FUTURE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(HubMetricSeries.class);

    private final MetricRepository repository;
    private final MetricQueries queries;
    private final Duration rawRetention;
    private final Duration rollupRetention;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(BACKLOG), DaemonThreads.named("outpost-hub-metrics"));
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("outpost-hub-metrics-jobs"));
    private final AutoCloseable subscription;
    private final Runnable stopDeletes;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long droppedLoggedMs;

    @Activate
    public HubMetricSeries(@Reference HubDatabase db, @Reference DeviceStore devices, @Reference Telemetry telemetry,
            @Reference Fleet fleet, @Reference Deployments deployments, Config config) {
        this.rawRetention = Duration.ofHours(Math.max(1, config.raw_retention_hours()));
        this.rollupRetention = Duration.ofDays(Math.max(1, config.rollup_retention_days()));
        this.repository = new MetricRepository(db, Duration.ofMinutes(Math.max(1, config.rollup_minutes())).toMillis(),
                Math.max(1, config.max_series_per_device()));
        this.queries = new MetricQueries(repository, rawRetention, System::currentTimeMillis);
        long check = Math.max(1, config.retention_check_minutes());
        scheduler.scheduleWithFixedDelay(this::deleteOld, 1, check * 60, TimeUnit.SECONDS);
        if (config.fleet_sample_seconds() > 0) {
            long every = config.fleet_sample_seconds() * 1000L;
            scheduler.scheduleAtFixedRate(() -> sampleFleet(fleet, deployments, every), every, every,
                    TimeUnit.MILLISECONDS);
        }
        // A deleted device's series go with it (every node hears of it; deleting twice deletes nothing more).
        this.stopDeletes = devices.onDelete(id -> {
            try {
                writer.execute(() -> {
                    try {
                        repository.deleteDevice(id);
                    } catch (RuntimeException e) {
                        LOG.warn("The metric series of the deleted device {} could not be deleted (the retention"
                                + " job deletes them in {} days): {}", LogText.escape(id), rollupRetention.toDays(),
                                e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.warn("The metric series of the deleted device {} are left to the retention job: the writer is"
                        + " busy", LogText.escape(id));
            }
        });
        this.subscription = telemetry.subscribe(r -> {
            if (MetricsPayload.isMetrics(r.message())) {
                Instant received = Instant.now();
                try {
                    writer.execute(() -> ingest(r.deviceId(), r.message().body(), received));
                } catch (RejectedExecutionException e) {
                    droppedOne(r.deviceId());
                }
            }
        });
    }

    @Deactivate
    void deactivate() throws Exception {
        subscription.close();
        stopDeletes.run();
        scheduler.shutdownNow();
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            writer.shutdownNow();
        }
    }

    /** Stores the values of one metrics message of a device. */
    void ingest(String deviceId, byte[] body, Instant received) {
        List<MetricsPayload.Timed> values;
        try {
            values = MetricsPayload.parse(body, received);
        } catch (IllegalArgumentException e) {
            LOG.warn("Metrics of {} left out: {}", LogText.escape(deviceId), e.getMessage());
            return;
        }
        long latest = received.plus(FUTURE).toEpochMilli();
        long earliest = received.minus(rollupRetention).toEpochMilli();
        Map<Long, List<MetricRepository.Value>> byTime = new TreeMap<>();
        for (MetricsPayload.Timed t : values) {
            if (t.timeMs() <= latest && t.timeMs() >= earliest) {
                byTime.computeIfAbsent(t.timeMs(), k -> new ArrayList<>()).add(t.value());
            }
        }
        try {
            byTime.forEach((time, v) -> repository.store(deviceId, time, v));
        } catch (RuntimeException e) {
            LOG.warn("Metrics of {} could not be stored: {}", LogText.escape(deviceId), e.getMessage());
        }
    }

    private void sampleFleet(Fleet fleet, Deployments deployments, long every) {
        try {
            // Every hub node samples at the same instants: the first to store a sample's points wins, the others
            // find them stored.
            long t = Math.floorDiv(System.currentTimeMillis(), every) * every;
            repository.store(FLEET, t, FleetSample.of(fleet.health(), deployments.deployments()));
        } catch (RuntimeException e) {
            LOG.warn("The fleet's metrics could not be sampled: {}", e.getMessage());
        }
    }

    private void deleteOld() {
        try {
            long now = System.currentTimeMillis();
            int n = repository.deleteOlder(now - rawRetention.toMillis(), now - rollupRetention.toMillis());
            LOG.debug("Deleted {} metric rows past their retention", n);
        } catch (RuntimeException e) {
            LOG.warn("Metric points past their retention could not be deleted (tried again in a while): {}",
                    e.getMessage());
        }
    }

    private void droppedOne(String deviceId) {
        long n = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        if (now - droppedLoggedMs > 60_000) {
            droppedLoggedMs = now;
            LOG.warn("Metrics of {} dropped: {} messages wait to be written already (the database is slow or"
                    + " down); {} dropped since the hub started", LogText.escape(deviceId), BACKLOG, n);
        }
    }

    @Override
    public List<Series> series(String deviceId) {
        return queries.series(deviceId);
    }

    @Override
    public List<Series> query(Query query) {
        return queries.query(query);
    }

    @Override
    public Duration rawRetention() {
        return rawRetention;
    }
}
