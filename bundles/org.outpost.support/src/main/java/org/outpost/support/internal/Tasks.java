/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.outpost.commons.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background tasks of {@code UploadModuleLogs} and {@code UploadSupportBundle}, by correlation id, for
 * {@code GetTaskStatus}: IoT Edge's statuses ({@code NotStarted}, {@code Running}, {@code Completed}, {@code Failed},
 * {@code Unknown} for an id it does not know), a task that runs longer than {@code task.timeout.seconds} is stopped
 * and fails, and a finished task is forgotten after {@code task.kept.minutes}. At most two run at once; the others wait
 * as {@code NotStarted}.
 */
@Component(service = Tasks.class, configurationPid = SupportConfig.PID)
public final class Tasks {

    /** IoT Edge's {@code BackgroundTaskRunStatus}. */
    enum Status { NotStarted, Running, Completed, Failed, Unknown }

    /** Work a task does; what it throws is the failure's message. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private record Task(String operation, Status status, String message, Instant ended, Future<?> future) {
        Task with(Status s, String m, Instant end) {
            return new Task(operation, s, m, end, future);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private volatile SupportConfig.Settings settings;

    @Activate
    public Tasks(SupportConfig config) {
        this(SupportConfig.Settings.of(config), Clock.systemUTC());
    }

    Tasks(SupportConfig.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.executor = java.util.concurrent.Executors.newFixedThreadPool(2,
                DaemonThreads.numbered("outpost-support-"));
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("outpost-support-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    @Modified
    void modified(SupportConfig config) {
        settings = SupportConfig.Settings.of(config);
    }

    @Deactivate
    void close() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

    /**
     * Starts a task.
     *
     * @param operation what it does, for its failure message ({@code upload logs})
     * @return its correlation id
     */
    String start(String operation, Work work) {
        forgetOld();
        String id = UUID.randomUUID().toString();
        Duration timeout = settings.taskTimeout();
        java.util.concurrent.FutureTask<Void> f = new java.util.concurrent.FutureTask<>(() -> run(id, work), null);
        tasks.put(id, new Task(operation, Status.NotStarted, "", null, f));
        executor.execute(f);
        timer.schedule(() -> {
            Task t = tasks.get(id);
            if (t != null && t.ended() == null) {
                t.future().cancel(true);
                tasks.put(id, t.with(Status.Failed, "Task " + operation + " failed because it took more than "
                        + timeout.toSeconds() + " s (task.timeout.seconds in etc/" + SupportConfig.PID + ".cfg)",
                        clock.instant()));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return id;
    }

    private void run(String id, Work work) {
        tasks.computeIfPresent(id, (k, t) -> t.with(Status.Running, "", null));
        Task started = tasks.get(id);
        String operation = started == null ? "task" : started.operation();
        try {
            work.run();
            tasks.computeIfPresent(id, (k, t) -> t.ended() == null ? t.with(Status.Completed, "", clock.instant()) : t);
            LOG.info("Task {} ({}) completed", id, operation);
        } catch (Exception e) {
            String why = e instanceof InterruptedException ? "it was stopped" : "of error " + e.getMessage();
            tasks.computeIfPresent(id, (k, t) -> t.ended() == null
                    ? t.with(Status.Failed, "Task " + operation + " failed because " + why, clock.instant()) : t);
            LOG.warn("Task {} ({}) failed: {}", id, operation, e.getMessage());
        }
    }

    /** @return IoT Edge's answer for a task: {@code {"status": ..., "message": ..., "correlationId": ...}} */
    String answer(String correlationId) {
        forgetOld();
        Task t = correlationId == null ? null : tasks.get(correlationId);
        return JsonNodeFactory.instance.objectNode()
                .put("status", t == null ? Status.Unknown.name() : t.status().name())
                .put("message", t == null ? "" : t.message())
                .put("correlationId", correlationId == null ? "" : correlationId).toString();
    }

    /** @return the task's status ({@code Unknown} for an id not known) */
    Status status(String correlationId) {
        Task t = tasks.get(correlationId);
        return t == null ? Status.Unknown : t.status();
    }

    private void forgetOld() {
        Instant before = clock.instant().minus(settings.taskKept());
        tasks.values().removeIf(t -> t.ended() != null && t.ended().isBefore(before));
    }
}
