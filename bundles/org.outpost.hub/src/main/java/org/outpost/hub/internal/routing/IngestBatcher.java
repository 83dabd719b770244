/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.outpost.commons.DaemonThreads;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores routed messages in batches: what arrives while one transaction runs goes into the next, so ingestion is not
 * one transaction per message. A message's future completes when its endpoints' queues hold it (the hub acknowledges
 * the device's PUBLISH then); a failure is retried until it succeeds or the hub stops, while the broker keeps what is
 * not acknowledged.
 */
final class IngestBatcher implements AutoCloseable {

    private record Pending(List<RoutingQueues.Item> items, List<RoutedMessage> events, CompletableFuture<Void> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(IngestBatcher.class);

    private final RoutingQueues queues;
    private final EventsEndpoint events;
    private final int max;
    private final Runnable queued;
    /** Bounded: when storing falls behind, submit blocks (the MQTT callback thread), so the broker holds the rest. */
    private final LinkedBlockingQueue<Pending> pending;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param queued called after a batch with items for the database queues was stored */
    IngestBatcher(RoutingQueues queues, EventsEndpoint events, int max, Runnable queued) {
        this(queues, events, max, queued, 4 * Math.max(1, max));
    }

    /** @param capacity most submissions waiting to be stored; submit blocks beyond */
    IngestBatcher(RoutingQueues queues, EventsEndpoint events, int max, Runnable queued, int capacity) {
        this.pending = new LinkedBlockingQueue<>(Math.max(1, capacity));
        this.queues = queues;
        this.events = events;
        this.max = Math.max(1, max);
        this.queued = queued;
        this.thread = DaemonThreads.named("outpost-hub-routing-ingest").newThread(this::run);
        thread.start();
    }

    CompletableFuture<Void> submit(List<RoutingQueues.Item> items, List<RoutedMessage> toEvents) {
        if (items.isEmpty() && toEvents.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("message routing is stopping"));
            return done;
        }
        Pending p = new Pending(items, toEvents, done);
        try {
            // Back-pressure: wait for room (the caller is the broker client's callback thread).
            while (!pending.offer(p, 200, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    done.completeExceptionally(new IllegalStateException("message routing is stopping"));
                    return done;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new IllegalStateException("interrupted while waiting to queue a message"));
            return done;
        }
        if (!running && pending.remove(p)) {
            done.completeExceptionally(new IllegalStateException("message routing is stopping"));
        }
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            try {
                Pending first = pending.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int n = first.items().size() + first.events().size();
                while (n < max) {
                    Pending next = pending.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    n += next.items().size() + next.events().size();
                }
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            batch.clear();
        }
        RuntimeException stopped = new IllegalStateException("message routing stopped");
        batch.forEach(p -> p.done().completeExceptionally(stopped));
        pending.forEach(p -> p.done().completeExceptionally(stopped));
    }

    private void store(List<Pending> batch) throws InterruptedException {
        List<RoutingQueues.Item> items = new ArrayList<>();
        List<RoutedMessage> toEvents = new ArrayList<>();
        for (Pending p : batch) {
            items.addAll(p.items());
            toEvents.addAll(p.events());
        }
        boolean stored = items.isEmpty();
        boolean sent = toEvents.isEmpty();
        long delay = 100;
        while (true) {
            try {
                if (!stored) {
                    queues.enqueue(items);
                    stored = true;
                }
                if (!sent) {
                    events.publish(toEvents);
                    sent = true;
                }
                break;
            } catch (Exception e) {
                if (!running) {
                    throw new InterruptedException("stopping");
                }
                LOG.warn("Cannot store {} routed message(s) ({}); the devices' messages stay unacknowledged at the"
                        + " broker, retrying in {} ms", items.size() + toEvents.size(), e.toString(), delay);
                Thread.sleep(delay);
                delay = Math.min(5000, delay * 2);
            }
        }
        batch.forEach(p -> p.done().complete(null));
        if (!items.isEmpty()) {
            queued.run();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
