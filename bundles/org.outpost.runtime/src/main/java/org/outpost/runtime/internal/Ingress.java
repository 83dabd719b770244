/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.module.SendException;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what modules send: stamps each message with its module, output, device, id and creation time, and hands it to
 * the router, which stores it durably in the queue of every endpoint its routes choose.
 */
@Component(service = Ingress.class, configurationPid = RuntimeSettings.PID)
@Designate(ocd = Ingress.Config.class)
public final class Ingress {

    @ObjectClassDefinition(name = "Outpost runtime", description = "The gateway's module runtime.")
    public @interface Config {
        @AttributeDefinition(description = "Device id of this gateway, as the cloud knows it.")
        String device_id() default "outpost-gateway";

        @AttributeDefinition(description = "Whether bundle modules' CPU time and allocations are accounted (calls"
                + " into modules measured, threads they own sampled). Off, only process and container modules are.")
        boolean accounting_enabled() default true;

        @AttributeDefinition(description = "Seconds between samples of the modules' resources (and of the"
                + " edgeAgent_used_cpu_percent interval).")
        int accounting_interval_seconds() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);

    private final ModuleCounters counters;
    private final Routing routing;
    private final ModuleAccounting accounting;
    private volatile RuntimeSettings settings;

    @Activate
    public Ingress(@Reference Routing routing, @Reference ModuleCounters counters,
            @Reference ModuleAccounting accounting, Config config, Map<String, Object> properties) {
        this.accounting = accounting;
        this.routing = routing;
        this.counters = counters;
        this.settings = settingsOrDefault(config, properties, new RuntimeSettings(ConfigValues.defaults(Config.class)
                .device_id()));
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        this.settings = settingsOrDefault(config, properties, settings);
    }

    static RuntimeSettings settingsOrDefault(Config config, Map<String, Object> properties,
            RuntimeSettings keep) {
        try {
            return RuntimeSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; keeping device id '{}'", e.getMessage(), keep.deviceId());
            return keep;
        }
    }

    /** @return the device id of this gateway */
    String deviceId() {
        return settings.deviceId();
    }

    /**
     * Stores a message as sent by {@code module} to {@code output} and waits until it is stored.
     *
     * @throws SendException if it was not stored
     */
    void send(String module, String output, Message message) throws SendException {
        try {
            sendAsync(module, output, message).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendException("interrupted while the message was being stored; it may or may not be", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SendException s ? new SendException(s.getMessage(), s)
                    : new SendException("the message was not stored: " + e.getCause(), e.getCause());
        }
    }

    /**
     * @return a random (version 4) UUID for a message id. Not {@link UUID#randomUUID()}: its SecureRandom is shared by
     *         every thread behind one lock and costs a few percent of the gateway's CPU at thousands of messages a
     *         second; a message id need only be unique, not unguessable.
     */
    static String randomId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * Stores a message as sent by {@code module} to {@code output}.
     *
     * @return completes when it is stored, or exceptionally with a {@link SendException}
     */
    CompletionStage<Void> sendAsync(String module, String output, Message message) {
        ModuleNames.require("module id", module);
        ModuleNames.require("output name", output);
        Message.Builder b = message.toBuilder().connectionModuleId(module).connectionDeviceId(settings.deviceId())
                .outputName(output);
        if (message.messageId() == null) {
            b.messageId(randomId());
        }
        if (message.creationTimeUtc() == null) {
            b.creationTimeUtc(Instant.now());
        }
        CompletableFuture<Void> stored;
        try {
            stored = routing.route(b.build()).toCompletableFuture();
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(new SendException("the message was not stored: " + e, e));
        }
        // One stage for the module (counted when stored, failed with the cause itself), not one per step.
        CompletableFuture<Void> done = new CompletableFuture<>();
        stored.whenComplete((ok, error) -> {
            // What the module chained on the stage runs here, on the broker's thread: it is the module's work.
            try (var measured = done.getNumberOfDependents() == 0 ? Accounts.NOTHING
                    : accounting.measure(module)) {
                if (error == null) {
                    counters.sent(module);
                    done.complete(null);
                } else {
                    done.completeExceptionally(error instanceof CompletionException c && c.getCause() != null
                            ? c.getCause() : error);
                }
            }
        });
        return done;
    }
}
