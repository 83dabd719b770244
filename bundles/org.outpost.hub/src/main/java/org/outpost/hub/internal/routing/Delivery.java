/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.outpost.commons.DaemonThreads;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RejectedException;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the endpoints' queues from this node: an endpoint with messages, due (not backing off) and not leased to
 * another node is taken (its lease, renewed before each batch) and delivered batch after batch, in sequence order. A
 * failed batch is retried with exponential back-off, one message at a time until one gets through, so that one
 * message that the endpoint refuses cannot hold the others: that one goes to the dead letters after
 * {@code max.attempts} attempts or {@code max.age.minutes}, or at once when the endpoint rejects it for good
 * ({@link RejectedException}).
 */
final class Delivery implements AutoCloseable {

    /** Opens (or reuses) the sink of an endpoint. */
    interface Sinks {
        EndpointSink sink(String endpoint, String type, String settings, long createdMs) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    /** Batches one endpoint delivers before giving its thread to another. */
    private static final int TURN = 50;

    private final RoutingQueues queues;
    private final String node;
    private final RoutingSettings settings;
    private final Sinks sinks;
    private final LongSupplier clock;
    private final ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-hub-routing-poll"));
    private final ExecutorService workers;
    /** Read the next batch of an endpoint while its current one is with the sink ({@link QueueHead#ahead}). */
    private final ExecutorService readers;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    /**
     * Per endpoint (name and creation time, so that an endpoint deleted and created again starts afresh), a sequence
     * below its queue's head (the last one this node saw delivered or dead).
     */
    private final java.util.Map<String, Long> below = new ConcurrentHashMap<>();
    /** Per endpoint, the failures to open its sink in a row (for the back-off; not attempts at a message). */
    private final java.util.Map<String, Integer> openFailures = new ConcurrentHashMap<>();
    /** Per endpoint, until when this node leaves it alone after its delivery failed in a way not recorded. */
    private final java.util.Map<String, Long> held = new ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> heldFor = new ConcurrentHashMap<>();
    /** Whether the database's unavailability was logged (once, until it is back). */
    private volatile boolean warned;

    Delivery(RoutingQueues queues, String node, RoutingSettings settings, Sinks sinks, LongSupplier clock) {
        this.queues = queues;
        this.node = node;
        this.settings = settings;
        this.sinks = sinks;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(Math.max(1, settings.delivery_threads()),
                DaemonThreads.numbered("outpost-hub-routing-delivery-"));
        this.readers = Executors.newFixedThreadPool(Math.max(1, settings.delivery_threads()),
                DaemonThreads.numbered("outpost-hub-routing-read-ahead-"));
        tick.scheduleWithFixedDelay(this::poll, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Looks for work now (messages were queued). */
    void wake() {
        try {
            tick.execute(this::poll);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void poll() {
        try {
            long now = clock.getAsLong();
            for (String name : queues.due(node, now)) {
                if (held.getOrDefault(name, 0L) > now || !busy.add(name)) {
                    continue;
                }
                try {
                    workers.execute(() -> {
                        boolean more = false;
                        try {
                            more = deliver(name);
                            held.remove(name);
                            heldFor.remove(name);
                        } catch (RuntimeException e) {
                            if (e instanceof RoutingQueues.LeaseLostException) {
                                LOG.info("Delivering endpoint '{}': {}", name, e.getMessage());
                            } else {
                                // E.g. recording a failure failed: wait here, as the database cannot say when.
                                long wait = backoff(heldFor.merge(name, 1, Integer::sum));
                                held.put(name, clock.getAsLong() + wait);
                                LOG.warn("Delivering endpoint '{}': {}; trying again in {} ms", name, e.toString(),
                                        wait);
                            }
                        } finally {
                            busy.remove(name);
                        }
                        if (more) {
                            wake(); // after the others had their turn
                        }
                    });
                } catch (RejectedExecutionException e) {
                    busy.remove(name);
                }
            }
            if (warned) {
                warned = false;
                LOG.info("Message routing reads the endpoints' queues again");
            }
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Message routing cannot read the endpoints' queues ({}); trying again", e.toString());
            }
        }
    }

    /** @return whether the endpoint may have more to deliver now (its turn ended) */
    private boolean deliver(String endpoint) {
        QueueHead[] ahead = new QueueHead[1];
        try {
            return deliver(endpoint, ahead);
        } finally {
            if (ahead[0] != null) {
                ahead[0].cancel();
            }
        }
    }

    /** @param ahead the next batch, read while the current one is with the sink (cancelled by the caller) */
    private boolean deliver(String endpoint, QueueHead[] ahead) {
        // The state (and lease) from the last batch's acknowledgement, which renewed the lease in its transaction.
        RoutingQueues.State renewed = null;
        for (int turn = 0; turn < TURN; turn++) {
            long now = clock.getAsLong();
            RoutingQueues.State s = renewed != null ? renewed : queues.lease(endpoint, node, now, now
                    + settings.lease_seconds() * 1000L).orElse(null);
            renewed = null;
            if (s == null || s.retryAtMs() > now) {
                return false;
            }
            String key = endpoint + "@" + s.createdMs();
            long after = below.getOrDefault(key, 0L);
            int limit = s.attempts() > 0 ? 1 : Math.max(1, settings.batch_size());
            // The batch read ahead follows the one acknowledged (with the lease renewed) just before, if any.
            QueueHead next = ahead[0];
            ahead[0] = null;
            QueueHead.Batch head = next != null && next.follows(after, limit) ? next.take()
                    : QueueHead.read(queues, endpoint, after, limit);
            List<RoutingQueues.Row> rows = head.rows();
            if (rows.isEmpty()) {
                return false;
            }
            List<RoutedMessage> batch = head.messages();
            int attempt = s.attempts() + 1;
            EndpointSink sink;
            try {
                sink = sinks.sink(endpoint, s.type(), s.settings(), s.createdMs());
                openFailures.remove(endpoint);
            } catch (Exception e) {
                // Not an attempt at the message: the endpoint cannot be opened here (type not installed on this node,
                // wrong settings, a password file missing); the messages wait, whatever max.attempts says.
                int n = openFailures.merge(endpoint, 1, Integer::sum);
                String error = "cannot open: " + (e instanceof IllegalStateException
                        || e instanceof IllegalArgumentException ? e.getMessage() : e.toString());
                long t = clock.getAsLong();
                long delay = backoff(n);
                if (n == 1) {
                    LOG.warn("Endpoint '{}' {}; retrying with back-off, from {} ms (its messages wait)", endpoint,
                            error, delay);
                }
                queues.cannotOpen(endpoint, node, error, t, t + delay);
                return false;
            }
            if (s.attempts() == 0) {
                ahead[0] = QueueHead.ahead(readers, queues, endpoint, rows.get(rows.size() - 1).seq(), limit);
            }
            Exception failure = null;
            java.util.concurrent.Future<?> renewal = renewing(endpoint);
            try {
                sink.deliver(batch);
            } catch (Exception e) {
                failure = e;
            } finally {
                renewal.cancel(false);
            }
            if (failure != null && ahead[0] != null) {
                ahead[0].cancel(); // it follows a batch that is not acknowledged
                ahead[0] = null;
            }
            // The writes below are fenced: they roll back (LeaseLostException) if the lease went to another node.
            if (failure == null) {
                long last = rows.get(rows.size() - 1).seq();
                long t = clock.getAsLong();
                renewed = queues.deliveredAndRenewed(endpoint, node, rows.get(0).seq(), last, rows.size(), t,
                        t + settings.lease_seconds() * 1000L);
                below.put(key, last);
            } else if (failure instanceof RejectedException e) {
                String reason = "rejected: " + e.getMessage();
                if (rows.size() > 1) {
                    // Find the one refused: the next attempts go one message at a time, at once.
                    queues.failed(endpoint, node, reason, clock.getAsLong(), 0);
                } else {
                    LOG.warn("Endpoint '{}' rejected message {}: moved to its dead letters ({})", endpoint,
                            rows.get(0).seq(), e.getMessage());
                    queues.deadLetter(endpoint, node, rows, attempt, reason, clock.getAsLong());
                    below.put(key, rows.get(0).seq());
                }
            } else {
                Exception e = failure;
                String error = e instanceof IllegalStateException || e instanceof IllegalArgumentException
                        ? e.getMessage() : e.toString();
                long t = clock.getAsLong();
                boolean tooOld = t - rows.get(0).enqueuedMs() > settings.max_age_minutes() * 60_000L;
                if (rows.size() == 1 && (settings.max_attempts() > 0 && attempt >= settings.max_attempts()
                        || tooOld)) {
                    String reason = (tooOld ? "older than max.age.minutes (" + settings.max_age_minutes() + ")"
                            : attempt + " attempts failed") + "; last: " + error;
                    LOG.warn("Endpoint '{}': message {} moved to its dead letters: {}", endpoint, rows.get(0).seq(),
                            reason);
                    queues.deadLetter(endpoint, node, rows, attempt, reason, t);
                    below.put(key, rows.get(0).seq());
                    continue;
                }
                long delay = backoff(attempt);
                if (attempt == 1) {
                    LOG.warn("Delivery to endpoint '{}' failed ({}); retrying with back-off, from {} ms", endpoint,
                            error, delay);
                }
                queues.failed(endpoint, node, error, t, t + delay);
                return false;
            }
        }
        return true;
    }

    /**
     * Renews the endpoint's lease every third of lease.seconds while a batch is with its sink, so that a slow sink
     * (up to its own timeouts) does not let the lease expire and another node deliver the same messages meanwhile.
     */
    private java.util.concurrent.Future<?> renewing(String endpoint) {
        long lease = settings.lease_seconds() * 1000L;
        long period = Math.max(100, lease / 3);
        try {
            return tick.scheduleAtFixedRate(() -> {
                try {
                    long now = clock.getAsLong();
                    if (!queues.renew(endpoint, node, now, now + lease)) {
                        LOG.warn("Hub node {} lost the delivery lease of endpoint '{}' during a batch; its result"
                                + " will not be recorded here", node, endpoint);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("Renewing the lease of endpoint '{}': {}", endpoint, e.toString());
                }
            }, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(null); // stopping
        }
    }

    /** Forgets what this node knew of the endpoints not in {@code live} (names and creation times). */
    void retain(java.util.Map<String, Long> live) {
        below.keySet().removeIf(k -> {
            int at = k.lastIndexOf('@');
            Long created = live.get(k.substring(0, at));
            return created == null || !k.substring(at + 1).equals(Long.toString(created));
        });
    }

    /** @return the wait after the given failed attempt: retry.initial.ms doubled each time, at most retry.max.ms */
    long backoff(int attempt) {
        long d = Math.max(1, settings.retry_initial_ms());
        for (int i = 1; i < attempt && d < settings.retry_max_ms(); i++) {
            d *= 2;
        }
        return Math.min(d, Math.max(1, settings.retry_max_ms()));
    }

    @Override
    public void close() {
        tick.shutdownNow();
        workers.shutdownNow();
        readers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            queues.release(node);
        } catch (RuntimeException e) {
            LOG.debug("Giving up the delivery leases: {}", e.toString());
        }
    }
}
