/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.outpost.hub.metrics.MetricSeries;

/**
 * Answers queries from the stored series: selects them by name (globs), reads raw points or rollups, merges points
 * past {@code maxPoints} into equal steps, and turns counters into rates.
 */
final class MetricQueries {

    private final MetricRepository repository;
    private final Duration rawRetention;
    private final LongSupplier clock;

    MetricQueries(MetricRepository repository, Duration rawRetention, LongSupplier clock) {
        this.repository = repository;
        this.rawRetention = rawRetention;
        this.clock = clock;
    }

    List<MetricSeries.Series> series(String deviceId) {
        return repository.series(deviceId).stream().map(s -> new MetricSeries.Series(s.name(), MetricLabels.parse(
                s.labels()), s.kind(), s.lastMs(), List.of())).toList();
    }

    List<MetricSeries.Series> query(MetricSeries.Query q) {
        List<Pattern> globs = q.names().stream().map(MetricQueries::glob).toList();
        List<MetricRepository.Stored> selected = repository.series(q.deviceId()).stream().filter(s -> globs.isEmpty()
                || globs.stream().anyMatch(g -> g.matcher(s.name()).matches())).toList();
        long from = q.from().toEpochMilli();
        long to = q.to().toEpochMilli();
        boolean rollups = switch (q.resolution()) {
            case RAW -> false;
            case ROLLUP -> true;
            case AUTO -> from < clock.getAsLong() - rawRetention.toMillis();
        };
        Map<Long, List<MetricSeries.Point>> points = selected.isEmpty() ? Map.of() : repository.points(selected, from,
                to, rollups);
        List<MetricSeries.Series> out = new ArrayList<>();
        for (MetricRepository.Stored s : selected) {
            boolean counter = MetricSeries.COUNTER.equals(s.kind());
            List<MetricSeries.Point> p = steps(points.getOrDefault(s.id(), List.of()), from, to, q.maxPoints(),
                    counter);
            if (counter && q.rate()) {
                p = rate(p);
            }
            out.add(new MetricSeries.Series(s.name(), MetricLabels.parse(s.labels()), s.kind(), s.lastMs(), p));
        }
        return out;
    }

    /** @return the points merged into at most {@code max} equal steps: a gauge's mean, a counter's last value */
    static List<MetricSeries.Point> steps(List<MetricSeries.Point> points, long from, long to, int max,
            boolean counter) {
        if (max <= 0 || points.size() <= max) {
            return points;
        }
        long step = Math.max(1, (to - from + max - 1) / max);
        List<MetricSeries.Point> out = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        double sum = 0;
        int n = 0;
        MetricSeries.Point last = null;
        for (MetricSeries.Point p : points) {
            long b = from + Math.floorDiv(p.t() - from, step) * step;
            if (b != bucket && n > 0) {
                out.add(counter ? last : new MetricSeries.Point(bucket, sum / n));
                sum = 0;
                n = 0;
            }
            bucket = b;
            sum += p.v();
            n++;
            last = p;
        }
        if (n > 0) {
            out.add(counter ? last : new MetricSeries.Point(bucket, sum / n));
        }
        return out;
    }

    /**
     * @return a counter's rate per second between each point and the one before (at the later one's time); where it
     *         went down it was reset (the gateway restarted), and its value is what it counted since
     */
    static List<MetricSeries.Point> rate(List<MetricSeries.Point> points) {
        List<MetricSeries.Point> out = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            MetricSeries.Point a = points.get(i - 1);
            MetricSeries.Point b = points.get(i);
            double seconds = (b.t() - a.t()) / 1000.0;
            if (seconds <= 0) {
                continue;
            }
            double delta = b.v() >= a.v() ? b.v() - a.v() : b.v();
            out.add(new MetricSeries.Point(b.t(), delta / seconds));
        }
        return out;
    }

    /** @return the pattern of a glob: {@code *} any characters, {@code ?} one */
    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char ch : g.toCharArray()) {
            re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString());
    }
}
