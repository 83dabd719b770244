/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.outpost.api.module.ModuleNames;
import org.outpost.broker.api.Broker;
import org.outpost.commons.DaemonThreads;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.Subscription;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules' inputs, from the router's endpoint queues in the embedded broker: while a module is connected and
 * subscribed to its inputs, the queues of the inputs the running routes name ({@code BrokeredEndpoint(
 * "/modules/<m>/inputs/<i>")}, looked at again every {@value #REFRESH_SECONDS} s) are consumed for its connection
 * ({@link ModuleQueues}). One connection per module: a new one closes the old one's consumers first, so that what
 * it had not acknowledged is back in its queues, in order, before the new one consumes them.
 */
final class QueuedInputs implements InputSource, AutoCloseable {

    static final long REFRESH_SECONDS = 2;
    private static final Pattern INPUT_SINK = Pattern.compile(
            "BrokeredEndpoint\\(\"/modules/([^/\"]+)/inputs/([^/\"]+)\"\\)");
    private static final Logger LOG = LoggerFactory.getLogger(QueuedInputs.class);

    private final Routing routing;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final Map<String, ModuleQueues> connected = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-edgehub-inputs"));

    QueuedInputs(Broker broker, Routing routing) throws Exception {
        this.routing = routing;
        // A small window: a higher-priority message overtakes most of what waits in the queue.
        this.locator = broker.createLocator().setConsumerWindowSize(64 * 1024);
        this.factory = locator.createSessionFactory();
        refresh.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public Subscription onMessage(Identity module, Runnable arrived) {
        ModuleQueues queues;
        try {
            queues = new ModuleQueues(factory, module.moduleId(), arrived);
        } catch (ActiveMQException e) {
            throw new IllegalStateException("cannot open the input queues of " + module + ": " + e.getMessage(), e);
        }
        ModuleQueues before = connected.put(module.moduleId(), queues);
        if (before != null) {
            before.close();
        }
        consumeRouted(module.moduleId(), queues);
        return () -> {
            connected.remove(module.moduleId(), queues);
            queues.close();
        };
    }

    @Override
    public List<InputMessage> waiting(Identity module, long afterSeq, int max) {
        ModuleQueues queues = connected.get(module.moduleId());
        return queues == null ? List.of() : queues.waiting(afterSeq, max);
    }

    @Override
    public void delivered(Identity module, InputMessage message) {
        ModuleQueues queues = connected.get(module.moduleId());
        if (queues != null) {
            queues.delivered(message);
        }
    }

    /** @return the inputs of a module that the running routes name */
    Set<String> routedInputs(String module) {
        Set<String> inputs = new TreeSet<>();
        for (RouteStatus r : routing.routes()) {
            Matcher m = INPUT_SINK.matcher(r.sink());
            if (m.matches() && m.group(1).equals(module) && ModuleNames.isValid(m.group(2))) {
                inputs.add(m.group(2));
            }
        }
        return inputs;
    }

    private void consumeRouted(String module, ModuleQueues queues) {
        for (String input : routedInputs(module)) {
            try {
                queues.consume(input);
            } catch (ActiveMQException | RuntimeException e) {
                LOG.warn("Cannot consume input {} of module {} (tried again in {} s): {}", input, module,
                        REFRESH_SECONDS, e.getMessage());
            }
        }
    }

    /** Consumes the inputs that routes added since the modules connected. */
    private void refresh() {
        try {
            connected.forEach(this::consumeRouted);
        } catch (RuntimeException e) {
            LOG.warn("Could not look for new module inputs: {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        refresh.shutdownNow();
        refresh.awaitTermination(5, TimeUnit.SECONDS);
        connected.values().forEach(ModuleQueues::close);
        connected.clear();
        factory.close();
        locator.close();
    }
}
