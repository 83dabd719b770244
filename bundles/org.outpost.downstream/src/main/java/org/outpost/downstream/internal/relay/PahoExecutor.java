/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.outpost.commons.DaemonThreads;

/**
 * The executor all relay connections' Paho clients share (given to {@code MqttAsyncClient}'s constructor). Paho's
 * mqttv3 client runs three loops per connection that block for the connection's life (socket reader, sender,
 * callback): they get threads of a cached pool, taken back when a connection ends, so a connection costs three threads
 * while it is up and none while it waits for its next attempt. Keep-alive pings and Paho's timers share one
 * scheduler thread (instead of a {@code java.util.Timer} thread per client). Paho never shuts it down (it does not call
 * {@code shutdown} on an executor it was given); {@link #close} does, when the relay stops.
 */
final class PahoExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    private final ThreadPoolExecutor loops = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.numbered("outpost-relay-mqtt"));
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("outpost-relay-mqtt-timer"));

    PahoExecutor() {
        timers.setRemoveOnCancelPolicy(true);
    }

    /** @return threads running connections' loops now */
    int activeLoops() {
        return loops.getActiveCount();
    }

    /** Stops every thread (after the clients are closed). */
    void close() {
        loops.shutdownNow();
        timers.shutdownNow();
    }

    @Override
    public void execute(Runnable command) {
        loops.execute(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timers.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timers.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timers.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        return timers.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    /** Paho's own shutdown requests are ignored: the pool is shared by every client. */
    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return loops.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return loops.isTerminated() && timers.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return loops.awaitTermination(timeout, unit);
    }

    /** @return a single-thread scheduler for the relay's own work (never blocked by I/O of the network) */
    static ScheduledExecutorService worker() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-relay"));
    }
}
