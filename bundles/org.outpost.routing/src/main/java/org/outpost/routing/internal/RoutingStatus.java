/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.routelanguage.CompiledRoute;
import org.outpost.routelanguage.Condition;
import org.outpost.routelanguage.MessageJson;
import org.outpost.routelanguage.RouteMessage;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;

/**
 * What the router shows operators: the running routes with what each took, the endpoints with what waits in their
 * queues and what they refused or dropped, why each route would or would not take a given message, and the metrics
 * read from the broker (queue lengths per priority, messages expired per endpoint).
 */
final class RoutingStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Broker broker;
    private final Supplier<RouteSets.Running> running;
    private final Admission admission;

    RoutingStatus(Broker broker, Supplier<RouteSets.Running> running, Admission admission) {
        this.broker = broker;
        this.running = running;
        this.admission = admission;
    }

    /** @return the queues of every endpoint the running routes name, {@code $upstream} first */
    private Set<String> endpointQueues() {
        Set<String> queues = new LinkedHashSet<>();
        queues.add(RouteTable.UPSTREAM_QUEUE);
        running.get().table().routes().forEach(r -> queues.add(RouteTable.queueOf(r.sink())));
        return queues;
    }

    /** See {@link org.outpost.routing.api.Routing#endpoints}. */
    List<EndpointStatus> endpoints() {
        RouteTable table = running.get().table();
        List<EndpointStatus> out = new ArrayList<>();
        for (String queue : endpointQueues()) {
            QueueDepth depth = broker.queueDepth(queue).orElse(new QueueDepth(0, 0, Map.of(), null));
            Map<Integer, Long> byPriority = new TreeMap<>();
            depth.byPriority().forEach((jms, n) -> byPriority.merge(9 - jms, n, Long::sum));
            long expired = broker.queueStats(queue).map(QueueStats::expired).orElse(0L);
            out.add(new EndpointStatus(RouteTable.endpointName(queue), queue, depth.messages(), depth.bytes(),
                    table.maxBytesPerEndpoint(), table.whenFull().text, byPriority, depth.oldest(),
                    admission.rejected(queue), admission.droppedWhenFull(queue), expired));
        }
        return out;
    }

    /**
     * @return the {@code queue_length} gauge: messages waiting per endpoint and priority, zero for each priority the
     *         running routes send to an endpoint with at that moment (as edgeHub reports an empty queue: 0, not
     *         nothing), route priority 9 for routes without one
     */
    Map<Map<String, String>, Double> queueLengths() {
        RouteTable table = running.get().table();
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (EndpointStatus e : endpoints()) {
            Set<Integer> priorities = new java.util.TreeSet<>(e.byPriority().keySet());
            table.routes().stream().filter(r -> RouteTable.queueOf(r.sink()).equals(e.queue()))
                    .forEach(r -> {
                        int p = table.priorities().getOrDefault(r.name(), -1);
                        priorities.add(p < 0 ? 9 : p);
                    });
            if (priorities.isEmpty()) {
                priorities.add(9);
            }
            for (int p : priorities) {
                out.put(Map.of("endpoint", e.endpoint(), "priority", Integer.toString(p)),
                        e.byPriority().getOrDefault(p, 0L).doubleValue());
            }
        }
        return out;
    }

    /** @return the broker's part of the {@code messages_dropped_total} counter: messages expired per endpoint */
    Map<Map<String, String>, Double> expiredCounts() {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (String queue : endpointQueues()) {
            broker.queueStats(queue).ifPresent(q -> out.put(Map.of("reason", "ttl_expiry", "to",
                    RouteTable.endpointName(queue)), (double) q.expired()));
        }
        return out;
    }

    /** See {@link org.outpost.routing.api.Routing#routes}. */
    List<RouteStatus> routes() {
        RouteSets.Running r = running.get();
        return r.table().routes().stream().map(route -> new RouteStatus(route.name(), route.text(), route.source(),
                route.condition().map(Condition::text).orElse(""), route.sink().toString(),
                r.table().priorities().getOrDefault(route.name(), -1), r.table().timeToLiveMs(route.name()) / 1000,
                r.taken().get(route.name()).sum())).toList();
    }

    /** See {@link org.outpost.routing.api.Routing#explain}. */
    List<RouteExplanation> explain(String messageJson) {
        RouteMessage message;
        try {
            message = MessageJson.parse(JSON.readTree(messageJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the message is not JSON: " + e.getOriginalMessage());
        }
        List<RouteExplanation> out = new ArrayList<>();
        for (CompiledRoute route : running.get().table().routes()) {
            CompiledRoute.Decision d = route.decide(message);
            String reason = switch (d.outcome()) {
                case TAKEN -> "taken";
                case SOURCE_MISMATCH -> "source " + route.source() + " does not match " + message.source();
                case CONDITION_FALSE -> "condition is false";
                case CONDITION_UNDEFINED -> "condition is undefined: " + (d.detail() == null ? "an operand"
                        : d.detail()) + " has no value";
            };
            out.add(new RouteExplanation(route.name(), d.taken(), reason));
        }
        return out;
    }
}
