/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.api.message.Message;

/**
 * The hub's message routing as the REST API, the shell and the dashboard manage it: endpoints, routes, their queues'
 * status, dead letters, and the built-in endpoint's consumer groups. Kept in the hub database, so every hub node
 * sharing it sees the same. (Added in 1.1.)
 */
@ProviderType
public interface HubRouting {

    /** The built-in endpoint: the hub's broker, read by backends through consumer groups. */
    String BUILT_IN = "events";
    /** The fallback route: messages that match no other route go to {@link #BUILT_IN} while it is enabled. */
    String FALLBACK = "$fallback";
    /** Route sources, as IoT Hub names them. */
    List<String> SOURCES = List.of("DeviceMessages", "TwinChangeEvents", "DeviceLifecycleEvents");

    /**
     * An endpoint and its queue.
     *
     * @param settings its settings, values of keys that look secret (password, token, key, secret, authorization,
     *            signature) replaced by {@code ***}
     * @param queued messages waiting in its queue
     * @param lagMs how long the oldest waiting message has waited, 0 when none waits
     * @param node the hub node delivering it now, or null
     */
    record Endpoint(String name, String type, Map<String, Object> settings, long queued, long delivered, long failed,
            long dead, String lastError, Instant lastErrorTime, Instant lastDeliveredTime, long lagMs, String node) {
    }

    /** A route: messages from {@code source} matching {@code condition} go to each of {@code endpoints}. */
    record Route(String name, String source, String condition, List<String> endpoints, boolean enabled) {
    }

    /** A message that kept failing, with why. */
    record DeadLetter(long sequence, String route, Instant enqueuedTime, Instant deadTime, int attempts, String reason,
            Message message) {
    }

    /** A consumer group of the built-in endpoint, with the messages waiting in its queue on this node's broker. */
    record ConsumerGroup(String name, Instant created, long waiting, String topic) {
    }

    /**
     * @param result "true", "false" or "undefined"
     * @param undefinedOperand when undefined, the first operand without a value (e.g. {@code $body.temp})
     * @param routes the enabled routes this message would take (the fallback route when no other matches)
     */
    record TestResult(String result, String undefinedOperand, List<String> routes) {
    }

    List<Endpoint> endpoints();

    Optional<Endpoint> endpoint(String name);

    /**
     * Creates or replaces an endpoint; its queue stays.
     *
     * @throws IllegalArgumentException naming what is wrong: the name, an unknown type (with the known ones), a
     *             setting ({@code settings.url: ...}), or a change to the built-in endpoint
     */
    Endpoint putEndpoint(String name, String type, Map<String, Object> settings);

    /**
     * Deletes an endpoint with its queue and dead letters.
     *
     * @return false if there was none
     * @throws IllegalArgumentException if a route still sends to it, or it is the built-in one
     */
    boolean deleteEndpoint(String name);

    List<Route> routes();

    Optional<Route> route(String name);

    /** @throws IllegalArgumentException naming what is wrong: the condition with its column, an unknown endpoint */
    Route putRoute(Route route);

    /** @throws IllegalArgumentException for the fallback route (disable it instead) */
    boolean deleteRoute(String name);

    /** @return the endpoint's dead letters, oldest first, at most {@code limit} */
    List<DeadLetter> deadLetters(String endpoint, int limit);

    /**
     * Puts dead letters back at the end of the endpoint's queue (new sequences) and resets its back-off.
     *
     * @param sequences which; empty for all
     * @return how many went back
     */
    int replay(String endpoint, List<Long> sequences);

    /**
     * Evaluates a condition against a sample message, as a route would.
     *
     * @throws IllegalArgumentException if the condition does not compile, with the column
     */
    TestResult test(String condition, Message sample);

    /** @return the endpoint types that are registered */
    List<String> types();

    List<ConsumerGroup> consumerGroups();

    /**
     * Adds a consumer group of the built-in endpoint.
     *
     * @return the token a backend connects with (user name {@code $events/<group>}): shown once, kept as its hash
     * @throws IllegalArgumentException if the name is wrong or taken
     */
    String addConsumerGroup(String name);

    /** @return false if there was none; its queue and what waits in it go */
    boolean removeConsumerGroup(String name);
}
