/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.SendException;
import org.outpost.broker.api.Broker;
import org.outpost.commons.DaemonThreads;
import org.outpost.routelanguage.RouteMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which endpoints take a message: the running routes choose them (each once, with the best priority of the
 * routes that take it there, and that route's time to live), and the endpoints' size bounds are applied. Counts what
 * it decides: messages received per module, messages no route took, and per endpoint the messages rejected or dropped
 * because it was full.
 */
final class Admission implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** Counters of one endpoint since the gateway started. */
    private static final class EndpointCounters {
        final LongAdder rejected = new LongAdder();
        final LongAdder droppedFull = new LongAdder();
    }

    private final Broker broker;
    private final Metrics metrics;
    private final AtomicLong noRoute = new AtomicLong();
    /** Of {@link #noRoute}: twin change notifications, which only routes from /twinChangeNotifications take. */
    private final AtomicLong noRouteTwinChanges = new AtomicLong();
    private final ConcurrentMap<String, EndpointCounters> endpointCounters = new ConcurrentHashMap<>();
    /** edgehub_messages_received_total by sender, then output. */
    private final ConcurrentMap<String, ConcurrentMap<String, Metrics.Counter>> receivedBy = new ConcurrentHashMap<>();
    private final Set<String> trimming = ConcurrentHashMap.newKeySet();
    private final ExecutorService trimmer = Executors.newSingleThreadExecutor(
            DaemonThreads.named("outpost-endpoint-trim"));

    Admission(Broker broker, Metrics metrics) {
        this.broker = broker;
        this.metrics = metrics;
    }

    /**
     * @param running the running routes
     * @param message a message from a module output ({@code connectionModuleId} and {@code outputName} set)
     * @return the endpoint queues that take it, with how; empty if no route takes it (counted as no_route)
     * @throws SendException if an endpoint that takes it is full and full endpoints reject: no endpoint takes it then
     */
    Map<String, RouteTable.Delivery> admit(RouteSets.Running running, Message message) throws SendException {
        String module = RouteTable.sender(message);
        String output = message.outputName();
        String out = output == null ? "" : output;
        receivedBy.computeIfAbsent(module, m -> new ConcurrentHashMap<>()).computeIfAbsent(out, o -> metrics.counter(
                "edgehub_messages_received_total", "id", module, "route_output", o)).increment();
        Map<String, RouteTable.Delivery> deliveries = running.table().endpointsFor(
                RouteMessage.of(RouteTable.sourceOf(message.connectionModuleId(), output), message),
                route -> running.taken().get(route.name()).increment());
        if (deliveries.isEmpty()) {
            long n = noRoute.incrementAndGet();
            if (org.outpost.routing.api.Routing.TWIN_CHANGE_NOTIFICATIONS.equals(output)) {
                noRouteTwinChanges.incrementAndGet();
            }
            metrics.counter("edgehub_messages_dropped_total", "reason", "no_route", "from", module,
                    "from_route_output", output == null ? "" : output).increment();
            LOG.debug("No route takes messages from {}/{} ({} so far)", module, output, n);
        } else {
            bound(running.table(), module, message, deliveries.keySet());
        }
        return deliveries;
    }

    /**
     * Applies the endpoints' size bound: under {@code reject} a message for a full endpoint is refused whole (no
     * endpoint gets a copy); under {@code drop-oldest} it is stored and the endpoint's oldest messages make room.
     */
    private void bound(RouteTable table, String module, Message message, Set<String> queues) throws SendException {
        long size = message.body().length;
        for (String queue : queues) {
            long bytes = broker.queueBytes(queue);
            if (bytes + size <= table.maxBytesPerEndpoint()) {
                continue;
            }
            EndpointCounters c = counters(queue);
            String endpoint = RouteTable.endpointName(queue);
            if (table.whenFull() == RouteTable.WhenFull.REJECT) {
                c.rejected.increment();
                metrics.counter("edgehub_messages_rejected_total", "from", module, "to", endpoint).increment();
                throw new SendException("endpoint " + endpoint + " is full: it holds " + bytes
                        + " bytes and its bound is " + table.maxBytesPerEndpoint() + " (storeAndForward"
                        + ".maxBytesPerEndpoint); the message was not stored. It has room again when its consumer"
                        + " catches up (for $upstream: when the cloud is reachable); or raise the bound, or set"
                        + " storeAndForward.whenFull=drop-oldest");
            }
            long target = bytes + size - table.maxBytesPerEndpoint() * 9 / 10;
            if (trimming.add(queue)) {
                trimmer.execute(() -> {
                    try {
                        long dropped = broker.dropOldest(queue, target);
                        c.droppedFull.add(dropped);
                        metrics.counter("edgehub_messages_dropped_total", "reason", "endpoint_full", "to", endpoint)
                                .add(dropped);
                        LOG.warn("Endpoint {} is full: dropped its {} oldest messages of the lowest priority",
                                endpoint, dropped);
                    } finally {
                        trimming.remove(queue);
                    }
                });
            }
        }
    }

    private EndpointCounters counters(String queue) {
        return endpointCounters.computeIfAbsent(queue, q -> new EndpointCounters());
    }

    /** @return messages no route took since the gateway started */
    long noRoute() {
        return noRoute.get();
    }

    long noRouteTwinChanges() {
        return noRouteTwinChanges.get();
    }

    /** @return messages an endpoint queue refused because it was full */
    long rejected(String queue) {
        return counters(queue).rejected.sum();
    }

    /** @return messages dropped from an endpoint queue to make room when it was full */
    long droppedWhenFull(String queue) {
        return counters(queue).droppedFull.sum();
    }

    @Override
    public void close() {
        trimmer.shutdownNow();
    }
}
