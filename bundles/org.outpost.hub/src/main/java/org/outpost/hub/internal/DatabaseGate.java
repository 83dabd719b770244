/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.outpost.commons.DaemonThreads;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the database work of the IoT Hub endpoint's session threads, which every connection shares: a device's
 * CONNECT (its credentials), its twin and its cloud-to-device messages. The work runs on threads of the gate's own and
 * the session waits for it at most {@code wait}. When the database does not answer in time (or its connection is
 * lost), the gate closes: from then on such work fails at once with {@link Unavailable} (a CONNECT is refused with
 * "server unavailable") instead of each session waiting again, and the database is checked every {@code probeEvery}
 * until it answers, when the gate opens again. Each change is logged once. Times are monotonic.
 */
final class DatabaseGate implements AutoCloseable {

    /** The database does not answer: the work was not done. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    static final int WORKERS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGate.class);

    private final HubDatabase db;
    private final long waitNanos;
    private final Duration probeEvery;
    private final LongSupplier nanoTime;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 1, TimeUnit.MINUTES,
            new ArrayBlockingQueue<>(4 * WORKERS), DaemonThreads.numbered("outpost-hub-db-wait"));
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-hub-db-probe"));
    /** Why the gate is closed, or null while it is open. */
    private volatile String closedBecause;
    private long closedAt;

    /**
     * @param wait the longest a session waits for the database
     * @param probeEvery how often a closed gate checks whether the database answers again
     * @param nanoTime the monotonic clock
     */
    DatabaseGate(HubDatabase db, Duration wait, Duration probeEvery, LongSupplier nanoTime) {
        this.db = db;
        this.waitNanos = wait.toNanos();
        this.probeEvery = probeEvery;
        this.nanoTime = nanoTime;
        workers.allowCoreThreadTimeOut(true);
    }

    /** @return true while the database answers (as far as the gate knows) */
    boolean open() {
        return closedBecause == null;
    }

    /**
     * @return what the work returned
     * @throws Unavailable at once while the gate is closed, or when the database did not answer within the wait
     */
    <T> T call(String what, Supplier<T> work) {
        String why = closedBecause;
        if (why != null) {
            throw new Unavailable("the hub database does not answer (" + why + "); not " + what);
        }
        Future<T> done;
        try {
            done = workers.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw unavailable(what, "all " + WORKERS + " of its waiting threads are taken");
        }
        try {
            return done.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Not interrupted: the database's own timeouts end it (an interrupt could close H2's file).
            done.cancel(false);
            throw unavailable(what, "no answer within " + Duration.ofNanos(waitNanos).toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException s && lost(s)) {
                throw unavailable(what, s.getMessage());
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(what + ": " + cause, cause);
        }
    }

    private Unavailable unavailable(String what, String why) {
        close(why);
        return new Unavailable("the hub database does not answer (" + why + "); not " + what);
    }

    /** @return true if the failure says the database is out of reach, not that the work was wrong */
    static boolean lost(StorageException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException q && q.getSQLState() != null && (q.getSQLState().startsWith("08")
                    || q.getSQLState().startsWith("57") || q.getSQLState().startsWith("HYT"))) {
                return true;
            }
        }
        return false;
    }

    private synchronized void close(String why) {
        if (closedBecause != null) {
            return;
        }
        closedBecause = why;
        closedAt = nanoTime.getAsLong();
        LOG.warn("The hub database does not answer ({}): devices' connections are refused with 'server unavailable'"
                + " and their twins and messages wait, until it answers again (checked every {} s); connected"
                + " devices keep sending telemetry", why, probeEvery.toSeconds());
        scheduleProbe();
    }

    private void scheduleProbe() {
        try {
            prober.schedule(this::probe, probeEvery.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // closed
        }
    }

    private void probe() {
        Future<Integer> answer;
        try {
            answer = workers.submit(() -> db.transaction("checking that the hub database answers", c -> {
                try (var s = c.createStatement(); var r = s.executeQuery("SELECT 1")) {
                    r.next();
                    return r.getInt(1);
                }
            }));
        } catch (RejectedExecutionException busy) {
            scheduleProbe();
            return;
        }
        try {
            answer.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            answer.cancel(false);
            scheduleProbe();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            LOG.info("The hub database answers again after {} s: devices may connect", Duration.ofNanos(
                    nanoTime.getAsLong() - closedAt).toSeconds());
            closedBecause = null;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        workers.shutdown();
    }
}
