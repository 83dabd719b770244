/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.sensor;

import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.outpost.api.module.SendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a simulated reading to the output {@value #OUTPUT} every {@code interval.ms}: machine temperature and pressure,
 * ambient temperature and humidity, a sequence number and the time it was created. The machine heats up slowly and
 * cools down again, so a filter sees readings on both sides of its threshold.
 * <p>
 * Configuration PID {@code org.outpost.samples.sensor}: {@code interval.ms}, {@code message.count} (0 = no limit).
 */
@EdgeModule("simulated-temperature-sensor")
@Component(configurationPid = "org.outpost.samples.sensor")
@Designate(ocd = SimulatedTemperatureSensor.Config.class)
public final class SimulatedTemperatureSensor {

    @ObjectClassDefinition(name = "Simulated temperature sensor")
    public @interface Config {
        @AttributeDefinition(description = "Milliseconds between readings (at least 1).")
        long interval_ms() default 1000;

        @AttributeDefinition(description = "Readings to send before stopping; 0 for no limit.")
        long message_count() default 0;
    }

    static final String OUTPUT = "temperatureOutput";
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedTemperatureSensor.class);

    private final ModuleClient client;
    private final long count;
    private final AtomicLong sequence = new AtomicLong();
    private final Random random = new Random();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-temperature-sensor");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public SimulatedTemperatureSensor(@Reference ModuleClient client, Config config) {
        this.client = client;
        long interval = config.interval_ms();
        if (interval < 1) {
            LOG.error("configuration org.outpost.samples.sensor: interval.ms={} is not valid: at least 1; using 1000",
                    interval);
            interval = 1000;
        }
        this.count = Math.max(0, config.message_count());
        executor.scheduleAtFixedRate(this::sendReading, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("Sending a reading every {} ms to {}{}", interval, OUTPUT,
                count == 0 ? "" : " (" + count + " readings)");
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void sendReading() {
        long n = sequence.get() + 1;
        if (count > 0 && n > count) {
            executor.shutdown();
            LOG.info("Sent {} readings; done", count);
            return;
        }
        // The machine warms up from 21 C by 0.2 C per reading to about 100 C, then starts over.
        double machine = 21 + (n % 400) * 0.2 + random.nextDouble();
        String json = String.format(Locale.ROOT, "{\"machine\":{\"temperature\":%.2f,\"pressure\":%.2f},"
                + "\"ambient\":{\"temperature\":%.2f,\"humidity\":%d},\"sequence\":%d,\"timeCreated\":\"%s\"}",
                machine, 1 + machine * 0.09, 20.5 + random.nextDouble(), 24 + random.nextInt(3), n, Instant.now());
        try {
            client.send(OUTPUT, Message.builder().json(json).property("sequence", Long.toString(n)).build());
            sequence.set(n);
        } catch (SendException e) {
            // Not stored: the same sequence number is tried again at the next tick.
            LOG.warn("Reading {} was not stored: {}", n, e.getMessage());
        }
    }
}
