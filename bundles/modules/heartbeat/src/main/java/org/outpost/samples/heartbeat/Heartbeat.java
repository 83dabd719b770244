/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.heartbeat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.HealthCheck;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.SendException;

/**
 * Sends {@code {"beat": n}} to the output {@code beats} every {@code interval.ms} (PID
 * {@code org.outpost.samples.heartbeat}). A beat that the gateway did not store is sent again with the same number.
 * Its health: unhealthy when no beat was stored for three intervals (at least two seconds).
 */
@EdgeModule("heartbeat")
@Component(configurationPid = "org.outpost.samples.heartbeat", service = HealthCheck.class, immediate = true)
@Designate(ocd = Heartbeat.Config.class)
public final class Heartbeat implements HealthCheck {

    @ObjectClassDefinition(name = "Heartbeat")
    public @interface Config {
        long interval_ms() default 500;
    }

    private final ModuleClient client;
    private final ScheduledExecutorService timer;
    private long beat = 1;
    private final long intervalMs;
    private final Instant started = Instant.now();
    private volatile Instant lastStored;
    private volatile String lastError = "";

    @Activate
    public Heartbeat(@Reference ModuleClient client, Config config) {
        this.client = client;
        this.intervalMs = Math.max(1, config.interval_ms());
        // The module's own threads: if one died of an exception, the gateway would mark the module failed.
        this.timer = Executors.newSingleThreadScheduledExecutor(client.threadFactory());
        timer.scheduleAtFixedRate(this::beat, 0, Math.max(1, config.interval_ms()), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void beat() {
        try {
            client.send("beats", Message.builder().json("{\"beat\":" + beat + "}")
                    .property("sequence", Long.toString(beat)).build());
            beat++;
            lastStored = Instant.now();
        } catch (SendException e) {
            // Not stored: the same beat is tried again at the next tick.
            lastError = e.getMessage();
        }
    }

    @Override
    public Health check() {
        Instant last = lastStored == null ? started : lastStored;
        long silentMs = Duration.between(last, Instant.now()).toMillis();
        return silentMs <= Math.max(3 * intervalMs, 2000) ? Health.HEALTHY
                : Health.unhealthy("no beat stored for " + silentMs + " ms" + (lastError.isEmpty() ? ""
                        : ": " + lastError));
    }
}
