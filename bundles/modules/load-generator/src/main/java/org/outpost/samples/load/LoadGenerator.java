/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.load;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.ModuleClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code {"seq": n, "sentAt": <epoch microseconds>, "pad": "..."}} messages of {@code size} bytes to the output
 * {@code load} at {@code rate} messages a second (0: as fast as the gateway stores them), with up to
 * {@code max.inflight} sends in flight ({@link ModuleClient#sendAsync}).
 * <p>
 * Sequence numbers are unique across restarts: run {@code r} numbers its messages from {@code r * 1,000,000,000}. With
 * {@code record.acked=true} every sequence number the gateway acknowledged is appended to
 * {@code ${karaf.data}/load-generator/acked} as it is acknowledged, so a crash test can check that each arrived.
 */
@EdgeModule("load-generator")
@Component(configurationPid = "org.outpost.samples.load", configurationPolicy =
        org.osgi.service.component.annotations.ConfigurationPolicy.REQUIRE)
@Designate(ocd = LoadGenerator.Config.class)
public final class LoadGenerator {

    @ObjectClassDefinition(name = "Outpost load generator")
    public @interface Config {
        @AttributeDefinition(description = "Messages per second; 0 sends as fast as the gateway stores them.")
        int rate() default 1000;

        @AttributeDefinition(description = "Message size in bytes.")
        int size() default 1024;

        @AttributeDefinition(description = "Sends in flight at most.")
        int max_inflight() default 2000;

        @AttributeDefinition(description = "Append every acknowledged sequence number to"
                + " ${karaf.data}/load-generator/acked.")
        boolean record_acked() default false;
    }

    static final long RUN_SPAN = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

    private final ModuleClient client;
    private final Config config;
    private final Thread thread;
    private final Semaphore inflight;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Writer ackLog;
    private final long firstSeq;
    private volatile boolean running = true;

    @Activate
    public LoadGenerator(@Reference ModuleClient client, Config config) throws IOException {
        this.client = client;
        this.config = config;
        this.inflight = new Semaphore(Math.max(1, config.max_inflight()));
        String data = System.getProperty("karaf.data");
        Path dir = Path.of(data == null ? "data" : data, "load-generator");
        Files.createDirectories(dir);
        Path runs = dir.resolve("runs");
        long run = Files.exists(runs) ? Long.parseLong(Files.readString(runs).strip()) + 1 : 0;
        Files.writeString(runs, Long.toString(run));
        this.firstSeq = run * RUN_SPAN;
        this.ackLog = config.record_acked() ? Files.newBufferedWriter(dir.resolve("acked"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND) : null;
        this.thread = new Thread(this::run, "load-generator");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Load generator run {}: {} msg/s of {} bytes, {} in flight at most", run,
                config.rate() == 0 ? "as many" : config.rate(), config.size(), config.max_inflight());
    }

    @Deactivate
    void deactivate() throws InterruptedException, IOException {
        running = false;
        thread.interrupt();
        thread.join(5000);
        inflight.tryAcquire(Math.max(1, config.max_inflight()), 5, TimeUnit.SECONDS);
        if (ackLog != null) {
            synchronized (ackLog) {
                ackLog.close();
            }
        }
        LOG.info("Load generator stopped: {} acknowledged, {} not stored", acked.get(), failed.get());
    }

    private void run() {
        long intervalNanos = config.rate() <= 0 ? 0 : 1_000_000_000L / config.rate();
        long next = System.nanoTime();
        long seq = firstSeq;
        try {
            while (running) {
                if (intervalNanos > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next += intervalNanos;
                }
                inflight.acquire();
                send(seq++);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(long seq) {
        Instant now = Instant.now();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        StringBuilder body = new StringBuilder(config.size()).append("{\"seq\":").append(seq).append(",\"sentAt\":")
                .append(micros).append(",\"pad\":\"");
        while (body.length() < config.size() - 2) {
            body.append('x');
        }
        body.append("\"}");
        client.sendAsync("load", Message.builder().json(body.toString()).property("seq", Long.toString(seq)).build())
                .whenComplete((ok, error) -> {
                    inflight.release();
                    if (error != null) {
                        if (failed.incrementAndGet() % 1000 == 1) {
                            LOG.warn("Message {} was not stored: {}", seq, error.getMessage());
                        }
                        return;
                    }
                    acked.incrementAndGet();
                    if (ackLog != null) {
                        record(seq);
                    }
                });
    }

    private void record(long seq) {
        synchronized (ackLog) {
            try {
                // Written through at once: a killed gateway keeps what the OS has, and nothing acknowledged is missed.
                ackLog.write(Long.toString(seq));
                ackLog.write('\n');
                ackLog.flush();
            } catch (IOException e) {
                LOG.warn("Cannot record acknowledged message {}: {}", seq, e.getMessage());
            }
        }
    }
}
