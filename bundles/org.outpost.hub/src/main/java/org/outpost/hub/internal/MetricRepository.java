/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.outpost.hub.metrics.MetricSeries;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;

/**
 * The metric tables of the hub database ({@code metric_series}, {@code metric_points}, {@code metric_rollups}, V7):
 * points are written a timestamp at a time (all values of an upload share one), each in the same transaction as its
 * series' rollup for that bucket. A point already stored (a message the gateway sent again, or a fleet sample another
 * hub node took) changes nothing, so the rollups count every point once. Portable SQL: H2 and PostgreSQL.
 */
final class MetricRepository {

    /** One value to store. */
    record Value(String name, Map<String, String> labels, String kind, double value) {
    }

    /** A stored series. */
    record Stored(long id, String name, String labels, String kind, long lastMs) {
    }

    private final HubDatabase db;
    private final long bucketMs;
    private final int maxSeriesPerDevice;
    /** Series ids by device, name and labels: a series, once made, keeps its id until it is deleted. */
    private final Map<String, Long> ids = new ConcurrentHashMap<>();

    /**
     * @param bucketMs the rollup bucket
     * @param maxSeriesPerDevice the most series one device may have (a guard against labels without end)
     */
    MetricRepository(HubDatabase db, long bucketMs, int maxSeriesPerDevice) {
        this.db = db;
        this.bucketMs = bucketMs;
        this.maxSeriesPerDevice = maxSeriesPerDevice;
    }

    long bucketMs() {
        return bucketMs;
    }

    /**
     * Stores the values of one time for a device: those already stored for that time are left as they are.
     *
     * @return how many points were new
     */
    int store(String deviceId, long timeMs, List<Value> values) {
        try {
            return db.transaction("storing the metrics of " + deviceId, c -> store(c, deviceId, timeMs, values));
        } catch (StorageException e) {
            // Another node made one of the series (or stored the same sample, or deleted a series past its
            // retention) meanwhile: the second try, with the ids read again, sees it.
            ids.clear();
            return db.transaction("storing the metrics of " + deviceId, c -> store(c, deviceId, timeMs, values));
        }
    }

    private int store(Connection c, String deviceId, long timeMs, List<Value> values) throws SQLException {
        Map<Long, Value> byId = new HashMap<>();
        for (Value v : values) {
            String labels = MetricLabels.json(v.labels());
            Long id = ids.get(key(deviceId, v.name(), labels));
            if (id == null) {
                id = seriesId(c, deviceId, v, labels);
            }
            if (id != null) {
                byId.put(id, v);
            }
        }
        if (byId.isEmpty()) {
            return 0;
        }
        Set<Long> present = new HashSet<>();
        query(c, "SELECT series_id FROM metric_points WHERE ts_ms = ? AND series_id IN (%s)", byId.keySet(),
                r -> present.add(r.getLong(1)), timeMs);
        byId.keySet().removeAll(present);
        if (byId.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO metric_points (series_id, ts_ms, val)"
                + " VALUES (?, ?, ?)")) {
            for (Map.Entry<Long, Value> e : byId.entrySet()) {
                s.setLong(1, e.getKey());
                s.setLong(2, timeMs);
                s.setDouble(3, e.getValue().value());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE metric_series SET last_ms = ? WHERE id = ?"
                + " AND last_ms < ?")) {
            for (Long id : byId.keySet()) {
                s.setLong(1, timeMs);
                s.setLong(2, id);
                s.setLong(3, timeMs);
                s.addBatch();
            }
            s.executeBatch();
        }
        rollUp(c, timeMs, byId);
        return byId.size();
    }

    /** Merges the new points into their series' rollups of the bucket. */
    private void rollUp(Connection c, long timeMs, Map<Long, Value> byId) throws SQLException {
        long bucket = Math.floorDiv(timeMs, bucketMs) * bucketMs;
        Map<Long, double[]> existing = new HashMap<>();
        query(c, "SELECT series_id, min_val, max_val, sum_val, n, last_ms, last_val FROM metric_rollups"
                + " WHERE bucket_ms = ? AND series_id IN (%s)", byId.keySet(), r -> existing.put(r.getLong(1),
                        new double[] {r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getInt(5), r.getLong(6),
                            r.getDouble(7)}), bucket);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO metric_rollups (min_val, max_val, sum_val,"
                + " n, last_ms, last_val, series_id, bucket_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement update = c.prepareStatement("UPDATE metric_rollups SET min_val = ?, max_val = ?,"
                        + " sum_val = ?, n = ?, last_ms = ?, last_val = ? WHERE series_id = ? AND bucket_ms = ?")) {
            for (Map.Entry<Long, Value> e : byId.entrySet()) {
                double v = e.getValue().value();
                double[] o = existing.get(e.getKey());
                PreparedStatement s = o == null ? insert : update;
                boolean newer = o == null || timeMs >= (long) o[4];
                s.setDouble(1, o == null ? v : Math.min(o[0], v));
                s.setDouble(2, o == null ? v : Math.max(o[1], v));
                s.setDouble(3, o == null ? v : o[2] + v);
                s.setInt(4, o == null ? 1 : (int) o[3] + 1);
                s.setLong(5, newer ? timeMs : (long) o[4]);
                s.setDouble(6, newer ? v : o[5]);
                s.setLong(7, e.getKey());
                s.setLong(8, bucket);
                s.addBatch();
            }
            insert.executeBatch();
            update.executeBatch();
        }
    }

    /** @return the series' id, made if it is new; null if the device has as many series as it may */
    private Long seriesId(Connection c, String deviceId, Value v, String labels) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM metric_series WHERE device_id = ? AND name = ?"
                + " AND labels = ?")) {
            s.setString(1, deviceId);
            s.setString(2, v.name());
            s.setString(3, labels);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    long id = r.getLong(1);
                    ids.put(key(deviceId, v.name(), labels), id);
                    return id;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM metric_series WHERE device_id = ?")) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getInt(1) >= maxSeriesPerDevice) {
                    return null;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO metric_series (device_id, name, labels, kind,"
                + " last_ms) VALUES (?, ?, ?, ?, 0)", new String[] {"id"})) {
            s.setString(1, deviceId);
            s.setString(2, v.name());
            s.setString(3, labels);
            s.setString(4, v.kind());
            s.executeUpdate();
            try (ResultSet r = s.getGeneratedKeys()) {
                r.next();
                long id = r.getLong(1);
                ids.put(key(deviceId, v.name(), labels), id);
                return id;
            }
        }
    }

    private static String key(String deviceId, String name, String labels) {
        return deviceId + '\n' + name + '\n' + labels;
    }

    /** @return the device's series, sorted by name and labels */
    List<Stored> series(String deviceId) {
        return db.transaction("reading the metric series of " + deviceId, c -> {
            List<Stored> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, name, labels, kind, last_ms FROM metric_series"
                    + " WHERE device_id = ? ORDER BY name, labels")) {
                s.setString(1, deviceId);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Stored(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getLong(5)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * @param rollups read the rollups (a point per bucket: a gauge's mean, a counter's last value) or the raw points
     * @return the points of each series in {@code [from, to)}, oldest first
     */
    Map<Long, List<MetricSeries.Point>> points(List<Stored> series, long from, long to, boolean rollups) {
        Map<Long, String> kinds = new HashMap<>();
        series.forEach(s -> kinds.put(s.id(), s.kind()));
        return db.transaction("reading metric points", c -> {
            Map<Long, List<MetricSeries.Point>> out = new HashMap<>();
            String sql = rollups
                    ? "SELECT series_id, bucket_ms, sum_val, n, last_ms, last_val FROM metric_rollups WHERE bucket_ms"
                            + " >= ? AND bucket_ms < ? AND series_id IN (%s) ORDER BY series_id, bucket_ms"
                    : "SELECT series_id, ts_ms, val FROM metric_points WHERE ts_ms >= ? AND ts_ms < ?"
                            + " AND series_id IN (%s) ORDER BY series_id, ts_ms";
            query(c, sql, kinds.keySet(), r -> {
                long id = r.getLong(1);
                MetricSeries.Point p;
                if (!rollups) {
                    p = new MetricSeries.Point(r.getLong(2), r.getDouble(3));
                } else if (MetricSeries.COUNTER.equals(kinds.get(id))) {
                    p = new MetricSeries.Point(r.getLong(5), r.getDouble(6));
                } else {
                    p = new MetricSeries.Point(r.getLong(2), r.getDouble(3) / r.getInt(4));
                }
                out.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
            }, rollups ? Math.floorDiv(from, bucketMs) * bucketMs : from, to);
            return out;
        });
    }

    /**
     * Deletes raw points older than {@code rawBefore}, rollups older than {@code rollupsBefore}, and the series left
     * with neither.
     *
     * @return how many rows went
     */
    int deleteOlder(long rawBefore, long rollupsBefore) {
        int deleted = db.transaction("deleting metric points past their retention", c -> {
            int n = update(c, "DELETE FROM metric_points WHERE ts_ms < ?", rawBefore);
            n += update(c, "DELETE FROM metric_rollups WHERE bucket_ms < ?", rollupsBefore);
            n += update(c, "DELETE FROM metric_series WHERE last_ms < ? AND NOT EXISTS (SELECT 1 FROM metric_points p"
                    + " WHERE p.series_id = metric_series.id) AND NOT EXISTS (SELECT 1 FROM metric_rollups r"
                    + " WHERE r.series_id = metric_series.id)", rollupsBefore);
            return n;
        });
        if (deleted > 0) {
            ids.clear();
        }
        return deleted;
    }

    /** Deletes every series of a device (the device was deleted). */
    void deleteDevice(String deviceId) {
        db.transaction("deleting the metric series of " + deviceId, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM metric_series WHERE device_id = ?")) {
                s.setString(1, deviceId);
                return s.executeUpdate();
            }
        });
        ids.keySet().removeIf(k -> k.startsWith(deviceId + '\n'));
    }

    private static int update(Connection c, String sql, long value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, value);
            return s.executeUpdate();
        }
    }

    /** Reads one row. */
    @FunctionalInterface
    private interface Row {
        void read(ResultSet r) throws SQLException;
    }

    /** Runs {@code sql} (its ids as {@code IN (%s)}, after the leading values) per chunk of ids. */
    private static void query(Connection c, String sql, Set<Long> ids, Row row, long... leading) throws SQLException {
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += SqlIn.CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + SqlIn.CHUNK));
            try (PreparedStatement s = c.prepareStatement(String.format(sql, String.join(", ",
                    java.util.Collections.nCopies(chunk.size(), "?"))))) {
                int i = 1;
                for (long v : leading) {
                    s.setLong(i++, v);
                }
                for (Long id : chunk) {
                    s.setLong(i++, id);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        row.read(r);
                    }
                }
            }
        }
    }
}
