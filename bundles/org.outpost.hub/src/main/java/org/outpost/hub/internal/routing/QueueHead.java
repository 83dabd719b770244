/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * The head of an endpoint's queue as a batch for its sink: read and decoded now, or ahead ({@link #ahead}), while the
 * batch before it is with the sink, so that the next batch is ready when that one is acknowledged. Reading ahead
 * changes nothing in the database: the batch read ahead is only delivered if the one before it was acknowledged (and
 * the lease renewed) first; else it is dropped and the head read again.
 */
final class QueueHead {

    /** The rows of a batch and the messages they hold. */
    record Batch(List<RoutingQueues.Row> rows, List<org.outpost.hub.routing.RoutedMessage> messages) {
    }

    private final FutureTask<Batch> task;
    private final long after;
    private final int limit;

    private QueueHead(FutureTask<Batch> task, long after, int limit) {
        this.task = task;
        this.after = after;
        this.limit = limit;
    }

    /** @return the first {@code limit} messages after sequence {@code after}, read and decoded now */
    static Batch read(RoutingQueues queues, String endpoint, long after, int limit) {
        List<RoutingQueues.Row> rows = queues.head(endpoint, after, limit);
        List<org.outpost.hub.routing.RoutedMessage> messages = new ArrayList<>(rows.size());
        for (RoutingQueues.Row r : rows) {
            messages.add(new org.outpost.hub.routing.RoutedMessage(r.route(), r.seq(), Instant.ofEpochMilli(
                    r.enqueuedMs()), MessageCodec.message(r.properties(), r.body())));
        }
        return new Batch(rows, messages);
    }

    /** Starts reading the batch after sequence {@code after} on {@code executor} (or at {@link #take}, if it is busy). */
    static QueueHead ahead(Executor executor, RoutingQueues queues, String endpoint, long after, int limit) {
        QueueHead h = new QueueHead(new FutureTask<>(() -> read(queues, endpoint, after, limit)), after, limit);
        try {
            executor.execute(h.task);
        } catch (RejectedExecutionException e) {
            // stopping: take() reads it
        }
        return h;
    }

    /** @return whether this is the batch after sequence {@code after}, of {@code limit} messages at most */
    boolean follows(long after, int limit) {
        return this.after == after && this.limit == limit;
    }

    /**
     * @return the batch read ahead (read here if the executor has not started it yet)
     * @throws RuntimeException as {@link #read} throws it
     */
    Batch take() {
        task.run(); // nothing if it ran or runs already
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the queue", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("the queue's read ahead was cancelled", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Drops the batch (the one before it was not acknowledged): a read not started yet does not start. */
    void cancel() {
        task.cancel(false);
    }
}
