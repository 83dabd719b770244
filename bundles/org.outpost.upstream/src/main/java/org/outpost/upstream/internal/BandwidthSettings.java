/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;

/**
 * The upstream's bandwidth control (see docs/bandwidth.md): batching, gzip compression, a token-bucket rate limit and
 * connection windows, for the whole upstream and per route.
 *
 * @param batch whether messages are batched (several in one publish)
 * @param batchMaxMessages a batch is published when it holds this many messages
 * @param batchMaxBytes ... or this many bytes of bodies
 * @param batchLingerMs ... or when its first message has waited this long
 * @param gzip whether publishes are gzip-compressed
 * @param compressMinBytes payloads smaller than this are sent as they are
 * @param messagesPerSecond the rate limit in messages a second, 0 for none
 * @param bytesPerSecond the rate limit in payload bytes a second, 0 for none
 * @param burstMessages messages that may go at once after a quiet time
 * @param burstBytes bytes that may go at once after a quiet time
 * @param windows when the upstream may send
 * @param routes per-route settings, by route name
 */
record BandwidthSettings(boolean batch, int batchMaxMessages, int batchMaxBytes, long batchLingerMs, boolean gzip,
        int compressMinBytes, double messagesPerSecond, double bytesPerSecond, double burstMessages,
        double burstBytes, WindowSchedule windows, Map<String, RouteBandwidth> routes) {

    /** No bandwidth control: every message published at once, as it is. */
    static final BandwidthSettings NONE = new BandwidthSettings(false, 100, 65536, 200, false, 128, 0, 0, 0, 0,
            WindowSchedule.ALWAYS, Map.of());

    static final String ROUTE_PREFIX = "route.";

    /**
     * One route's settings for its messages to {@code $upstream}; {@code null} means the upstream's own.
     *
     * @param batch whether its messages are batched
     * @param gzip whether they are compressed
     * @param messagesPerSecond a rate limit of its own (0: none)
     */
    record RouteBandwidth(Boolean batch, Boolean gzip, double messagesPerSecond) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (batch != null) {
                b.append(batch ? "batch" : "no batch");
            }
            if (gzip != null) {
                b.append(b.length() > 0 ? ", " : "").append(gzip ? "gzip" : "no gzip");
            }
            if (messagesPerSecond > 0) {
                b.append(b.length() > 0 ? ", " : "").append(rate(messagesPerSecond)).append(" msg/s");
            }
            return b.length() == 0 ? "-" : b.toString();
        }
    }

    BandwidthSettings {
        routes = Map.copyOf(routes);
    }

    static BandwidthSettings from(ConfigValues v, UpstreamConnector.Config c, Map<String, ?> raw, int maxInflight)
            throws InvalidConfigurationException {
        String pid = v.pid();
        boolean batch = v.get("batch.enabled", c::batch_enabled, "true or false");
        int maxMessages = v.get("batch.max.messages", c::batch_max_messages, n -> n >= 1 && n <= maxInflight,
                "1 to max.inflight (" + maxInflight + "): a batch's messages wait for one acknowledgement;"
                        + " raise max.inflight for bigger batches");
        int maxBytes = v.get("batch.max.bytes", c::batch_max_bytes, n -> n >= 1024 && n <= 4 * 1024 * 1024,
                "1024 to 4194304 bytes, e.g. 65536");
        long linger = v.get("batch.linger.ms", c::batch_linger_ms, n -> n >= 0 && n <= 60_000,
                "0 to 60000 milliseconds, e.g. 200");
        String compression = v.get("compression", c::compression, s -> s.equals("none") || s.equals("gzip"),
                "none or gzip");
        int minBytes = v.get("compression.min.bytes", c::compression_min_bytes, n -> n >= 0, "0 or more bytes, e.g."
                + " 128");
        double mps = v.get("rate.messages.per.second", c::rate_messages_per_second, BandwidthSettings::rateOk,
                "0 (no limit) or more messages a second, e.g. 50");
        double bps = v.get("rate.bytes.per.second", c::rate_bytes_per_second, BandwidthSettings::rateOk,
                "0 (no limit) or more bytes a second, e.g. 16384");
        double burstM = v.get("rate.burst.messages", c::rate_burst_messages, BandwidthSettings::rateOk,
                "0 (one second's worth) or more messages");
        double burstB = v.get("rate.burst.bytes", c::rate_burst_bytes, BandwidthSettings::rateOk,
                "0 (one second's worth) or more bytes");
        String zoneText = v.get("windows.time.zone", c::windows_time_zone, "a time zone, e.g. Europe/Paris");
        ZoneId zone;
        try {
            zone = zoneText.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zoneText.strip());
        } catch (DateTimeException e) {
            throw new InvalidConfigurationException(pid, "windows.time.zone", zoneText, "a time zone such as"
                    + " Europe/Paris or UTC (empty: the gateway's, " + ZoneId.systemDefault() + ")");
        }
        String windowText = v.get("windows", c::windows, WindowSchedule.SYNTAX);
        WindowSchedule windows;
        try {
            windows = WindowSchedule.parse(windowText, zone);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(pid, "windows", windowText, e.getMessage() + "; write "
                    + WindowSchedule.SYNTAX);
        }
        if (windows.nextOpening(java.time.ZonedDateTime.now(zone)).isEmpty()) {
            throw new InvalidConfigurationException(pid, "windows", windowText, "a schedule that opens at some"
                    + " time; " + WindowSchedule.SYNTAX);
        }
        return new BandwidthSettings(batch, maxMessages, maxBytes, linger, compression.equals("gzip"), minBytes, mps,
                bps, burstM > 0 ? burstM : Math.max(1, mps), burstB > 0 ? burstB : Math.max(1, bps), windows,
                routes(pid, raw));
    }

    private static boolean rateOk(double r) {
        return r >= 0 && !Double.isNaN(r) && !Double.isInfinite(r);
    }

    /** Reads {@code route.<name>.batch}, {@code route.<name>.compression}, {@code route.<name>.rate.messages.per.second}. */
    private static Map<String, RouteBandwidth> routes(String pid, Map<String, ?> raw)
            throws InvalidConfigurationException {
        Map<String, Boolean> batch = new TreeMap<>();
        Map<String, Boolean> gzip = new TreeMap<>();
        Map<String, Double> rate = new TreeMap<>();
        if (raw == null) {
            return Map.of();
        }
        for (Map.Entry<String, ?> e : new TreeMap<>(raw).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(ROUTE_PREFIX) || e.getValue() == null) {
                continue;
            }
            String value = e.getValue().toString().strip();
            String rest = key.substring(ROUTE_PREFIX.length());
            int dot = rest.indexOf('.');
            String name = dot < 0 ? "" : rest.substring(0, dot);
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            switch (setting) {
                case "batch" -> batch.put(name, bool(pid, key, value));
                case "compression" -> {
                    if (!value.equals("gzip") && !value.equals("none")) {
                        throw new InvalidConfigurationException(pid, key, value, "gzip or none");
                    }
                    gzip.put(name, value.equals("gzip"));
                }
                case "rate.messages.per.second" -> {
                    Double r = number(value);
                    if (r == null || !rateOk(r)) {
                        throw new InvalidConfigurationException(pid, key, value, "0 (no limit of its own) or more"
                                + " messages a second, e.g. 5");
                    }
                    rate.put(name, r);
                }
                default -> throw new InvalidConfigurationException(pid, key, value, "a route setting:"
                        + " route.<route name>.batch, .compression or .rate.messages.per.second");
            }
        }
        Map<String, RouteBandwidth> out = new TreeMap<>();
        java.util.Set<String> names = new java.util.TreeSet<>(batch.keySet());
        names.addAll(gzip.keySet());
        names.addAll(rate.keySet());
        for (String n : names) {
            out.put(n, new RouteBandwidth(batch.get(n), gzip.get(n), rate.getOrDefault(n, 0.0)));
        }
        return out;
    }

    private static boolean bool(String pid, String key, String value) throws InvalidConfigurationException {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidConfigurationException(pid, key, value, "true or false");
    }

    private static Double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return whether a route's messages are batched */
    boolean batches(String route) {
        RouteBandwidth r = route == null ? null : routes.get(route);
        return r != null && r.batch() != null ? r.batch() : batch;
    }

    /** @return whether a route's messages are compressed */
    boolean compresses(String route) {
        RouteBandwidth r = route == null ? null : routes.get(route);
        return r != null && r.gzip() != null ? r.gzip() : gzip;
    }

    static String rate(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
