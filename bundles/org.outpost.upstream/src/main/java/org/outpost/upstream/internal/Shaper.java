/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryPacking;

/**
 * The upstream's bandwidth stage, between the drain taking a message from the queue and publishing it: batches
 * messages of one sender (flushed by count, bytes or linger), gzip-compresses payloads, holds publishes back while the
 * token buckets (messages and bytes a second, the upstream's and a route's) are empty, and says whether a connection
 * window is open. While it holds a publish back the drain takes nothing more from the queue: the backlog stays in the
 * store. Used by the drain thread only; its counters are read from any thread.
 *
 * @param <T> the drain's handle of a message taken from the queue (acknowledged to the queue after the cloud's PUBACK)
 */
final class Shaper<T> {

    /** Where publishes go: the drain. */
    @FunctionalInterface
    interface Output<T> {
        /** Publishes one payload carrying these messages; the drain acknowledges them all on the cloud's PUBACK. */
        void publish(String topic, byte[] payload, List<T> messages);
    }

    /**
     * A message taken from the queue.
     *
     * @param route the route that sent it to {@code $upstream}, or null
     * @param priority 0 (highest) to 9
     * @param expiresAtMs when its time to live runs out (epoch ms), 0 for never
     */
    record Pending<T>(T handle, Message message, byte[] body, String route, int priority, long expiresAtMs) {
    }

    /** Messages that go out in one publish. */
    private static final class Unit<T> {
        List<Pending<T>> items;
        final String route;
        final boolean batch;
        String topic;
        byte[] payload;
        /** The payload's length before compression. */
        int raw;

        Unit(List<Pending<T>> items, String route, boolean batch) {
            this.items = items;
            this.route = route;
            this.batch = batch;
        }
    }

    /** A batch being filled. */
    private static final class Group<T> {
        final List<Pending<T>> items = new ArrayList<>();
        final String route;
        final long firstNanos;
        long bytes;

        Group(String route, long firstNanos) {
            this.route = route;
            this.firstNanos = firstNanos;
        }
    }

    /** About what the gzip markers add to a topic ({@code &outpost-encoding=gzip&outpost-ce=utf-8}). */
    static final int GZIP_MARKER_BYTES = 40;

    private final Supplier<UpstreamSettings> settings;
    private final Supplier<String> gatewayId;
    private final Output<T> output;
    /** Told of a message whose time to live ran out while it waited here: dropped, never published. */
    private final Consumer<T> expired;
    private final Clock clock;
    private final LongSupplier nanos;
    private final BandwidthCounters counters;
    private final Map<String, Group<T>> groups = new LinkedHashMap<>();
    private final ArrayDeque<Unit<T>> ready = new ArrayDeque<>();
    private BandwidthSettings bucketsOf;
    private TokenBucket messages;
    private TokenBucket bytes;
    private final Map<String, TokenBucket> routeBuckets = new HashMap<>();
    private long waitingSince;

    Shaper(Supplier<UpstreamSettings> settings, Supplier<String> gatewayId, Output<T> output, Consumer<T> expired,
            Clock clock, LongSupplier nanos, Metrics metrics) {
        this.settings = settings;
        this.gatewayId = gatewayId;
        this.output = output;
        this.expired = expired;
        this.clock = clock;
        this.nanos = nanos;
        this.counters = new BandwidthCounters(metrics);
    }

    BandwidthCounters counters() {
        return counters;
    }

    /** Takes a message: into its sender's batch, or to be published on its own (after that sender's batch). */
    void offer(Pending<T> p) {
        BandwidthSettings b = settings.get().bandwidth();
        long now = nanos.getAsLong();
        String key = p.route() + "\u0000" + p.priority() + "\u0000" + TopicTemplate.expand(settings.get().topic(),
                gatewayId.get(), Message.builder().connectionDeviceId(p.message().connectionDeviceId())
                        .connectionModuleId(p.message().connectionModuleId()).build());
        if (!b.batches(p.route())) {
            Group<T> g = groups.remove(key);
            if (g != null) {
                ready.add(new Unit<>(g.items, g.route, true));
            }
            ready.add(new Unit<>(List.of(p), p.route(), false));
            return;
        }
        Group<T> g = groups.get(key);
        if (g != null && g.bytes + p.body().length > b.batchMaxBytes()) {
            groups.remove(key);
            ready.add(new Unit<>(g.items, g.route, true));
            g = null;
        }
        if (g == null) {
            g = new Group<>(p.route(), now);
            groups.put(key, g);
        }
        g.items.add(p);
        g.bytes += p.body().length;
        if (g.items.size() >= b.batchMaxMessages() || g.bytes >= b.batchMaxBytes()) {
            groups.remove(key);
            ready.add(new Unit<>(g.items, g.route, true));
        }
    }

    /** Publishes what is due: batches whose linger is over, and whatever the rate limits let go now. */
    void pump() {
        BandwidthSettings b = settings.get().bandwidth();
        long now = nanos.getAsLong();
        long linger = TimeUnit.MILLISECONDS.toNanos(b.batchLingerMs());
        for (Iterator<Group<T>> i = groups.values().iterator(); i.hasNext();) {
            Group<T> g = i.next();
            if (now - g.firstNanos >= linger) {
                i.remove();
                ready.add(new Unit<>(g.items, g.route, true));
            }
        }
        buckets(b, now);
        while (!ready.isEmpty()) {
            Unit<T> u = ready.peek();
            if (u.payload == null && !prepare(u, b)) {
                ready.poll();
                continue;
            }
            TokenBucket route = u.route == null ? null : routeBuckets.get(u.route);
            int n = u.items.size();
            double size = u.payload.length + u.topic.length();
            if (!messages.canTake(n, now) || !bytes.canTake(size, now) || (route != null && !route.canTake(n, now))) {
                if (waitingSince == 0) {
                    waitingSince = now;
                }
                return;
            }
            if (waitingSince != 0) {
                counters.waited(now - waitingSince);
                waitingSince = 0;
            }
            messages.take(n, now);
            bytes.take(size, now);
            if (route != null) {
                route.take(n, now);
            }
            ready.poll();
            List<T> handles = new ArrayList<>(n);
            for (Pending<T> p : u.items) {
                handles.add(p.handle());
            }
            counters.published(n, u.batch && n > 1, u.raw, u.payload.length);
            output.publish(u.topic, u.payload, handles);
        }
    }

    /** Publishes every batch now, whatever its linger (the drain has no room for more messages). */
    void flushAll() {
        for (Group<T> g : groups.values()) {
            ready.add(new Unit<>(g.items, g.route, true));
        }
        groups.clear();
        pump();
    }

    /** @return whether a publish waits for the rate limits (the drain then takes nothing more from the queue) */
    boolean blocked() {
        return !ready.isEmpty();
    }

    /** @return nanoseconds until something is due (a rate limit lets the next publish go, a linger ends) */
    long nextEventNanos() {
        long now = nanos.getAsLong();
        if (!ready.isEmpty()) {
            Unit<T> u = ready.peek();
            double size = u.payload == null ? 0 : u.payload.length + u.topic.length();
            TokenBucket route = u.route == null ? null : routeBuckets.get(u.route);
            long wait = Math.max(messages.waitNanos(u.items.size(), now), bytes.waitNanos(size, now));
            return Math.max(wait, route == null ? 0 : route.waitNanos(u.items.size(), now));
        }
        long linger = TimeUnit.MILLISECONDS.toNanos(settings.get().bandwidth().batchLingerMs());
        long next = Long.MAX_VALUE;
        for (Group<T> g : groups.values()) {
            next = Math.min(next, Math.max(0, g.firstNanos + linger - now));
        }
        return next;
    }

    /** @return whether nothing is being batched or held back */
    boolean idle() {
        return ready.isEmpty() && groups.isEmpty();
    }

    /**
     * Forgets every message not yet published (the drain's session is closing: they go back to the queue).
     *
     * @return them
     */
    List<T> discard() {
        List<T> out = new ArrayList<>();
        for (Group<T> g : groups.values()) {
            g.items.forEach(p -> out.add(p.handle()));
        }
        for (Unit<T> u : ready) {
            u.items.forEach(p -> out.add(p.handle()));
        }
        groups.clear();
        ready.clear();
        if (waitingSince != 0) {
            counters.waited(nanos.getAsLong() - waitingSince);
            waitingSince = 0;
        }
        return out;
    }

    /** @return whether a connection window is open now (and records it for the status) */
    boolean windowOpen() {
        WindowSchedule w = settings.get().bandwidth().windows();
        ZonedDateTime now = ZonedDateTime.now(clock);
        boolean open = w.isOpen(now);
        counters.window(w.isAlwaysOpen() ? "always open" : open ? "open" : "closed",
                open ? null : w.nextOpening(now).map(ZonedDateTime::toInstant).orElse(null));
        return open;
    }

    /** @return milliseconds until the window opens, capped at {@code max} */
    long untilOpenMs(long max) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        Optional<ZonedDateTime> next = settings.get().bandwidth().windows().nextOpening(now);
        return next.map(t -> Math.max(1, Math.min(max, java.time.Duration.between(now, t).toMillis()))).orElse(max);
    }

    private void buckets(BandwidthSettings b, long now) {
        if (b == bucketsOf) {
            return;
        }
        bucketsOf = b;
        messages = new TokenBucket(b.messagesPerSecond(), b.burstMessages(), now);
        bytes = new TokenBucket(b.bytesPerSecond(), b.burstBytes(), now);
        routeBuckets.clear();
        b.routes().forEach((name, r) -> {
            if (r.messagesPerSecond() > 0) {
                routeBuckets.put(name, new TokenBucket(r.messagesPerSecond(), Math.max(1, r.messagesPerSecond()),
                        now));
            }
        });
    }

    /** Makes a unit's topic and payload, leaving out messages that expired meanwhile; false if none is left. */
    private boolean prepare(Unit<T> u, BandwidthSettings b) {
        long nowMs = clock.millis();
        List<Pending<T>> live = new ArrayList<>(u.items.size());
        for (Pending<T> p : u.items) {
            if (p.expiresAtMs() > 0 && p.expiresAtMs() <= nowMs) {
                expired.accept(p.handle());
            } else {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return false;
        }
        u.items = live;
        String template = settings.get().topic();
        Message first = live.get(0).message();
        boolean gzip = b.compresses(u.route);
        byte[] payload;
        Map<String, String> marks;
        if (live.size() == 1) {
            payload = live.get(0).body();
            marks = null;
        } else {
            List<TelemetryPacking.Item> items = new ArrayList<>(live.size());
            for (Pending<T> p : live) {
                Map<String, String> bag = PropertyBag.of(p.message());
                bag.remove(PropertyBag.CONNECTION_DEVICE_ID);
                bag.remove(PropertyBag.CONNECTION_MODULE_ID);
                items.add(new TelemetryPacking.Item(bag, p.body()));
            }
            payload = TelemetryPacking.batch(items);
            marks = Map.of();
        }
        boolean batch = marks != null;
        u.raw = payload.length;
        boolean compress = false;
        if (gzip && payload.length >= b.compressMinBytes()) {
            byte[] z = TelemetryPacking.gzip(payload);
            // Worth it only if it saves more than the markers add to the topic.
            if (z.length + GZIP_MARKER_BYTES < payload.length) {
                payload = z;
                compress = true;
            }
        }
        boolean zipped = compress;
        int n = live.size();
        u.topic = TopicTemplate.expand(template, gatewayId.get(), batch ? Message.builder()
                .connectionDeviceId(first.connectionDeviceId()).connectionModuleId(first.connectionModuleId())
                .build() : first, bag -> {
                    Map<String, String> out = batch ? TelemetryPacking.batchProperties(bag, n) : bag;
                    return zipped ? TelemetryPacking.gzipProperties(out) : out;
                });
        u.payload = payload;
        return true;
    }
}
