/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's direct methods: calls go out on {@code $iothub/methods/POST/<method>/?$rid=<rid>} and wait for the
 * answer on {@code $iothub/methods/res/<status>/?$rid=<rid>}; 404 if the client does not take calls or leaves before
 * it answers, 504 if it does not answer in time.
 */
final class MethodHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MethodHandler.class);

    private final Identity identity;
    private final Outbox out;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, CompletableFuture<MethodResult>> pending = new ConcurrentHashMap<>();

    MethodHandler(Identity identity, Outbox out) {
        this.identity = identity;
        this.out = out;
    }

    /** Calls a method on the client; completes with its answer, 404 if it does not take calls, 504 on timeout. */
    CompletableFuture<MethodResult> invoke(String method, String payload, Duration timeout) {
        if (!out.subscribed(IotHubTopic.METHOD_CALLS)) {
            return CompletableFuture.completedFuture(MethodResult.error(404, identity
                    + " is connected but not subscribed to " + IotHubTopic.METHOD_CALLS));
        }
        String rid = Long.toHexString(requestIds.incrementAndGet());
        CompletableFuture<MethodResult> f = new CompletableFuture<>();
        pending.put(rid, f);
        f.completeOnTimeout(MethodResult.error(504, identity + " did not answer " + method + " within "
                + timeout.toSeconds() + " s"), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> pending.remove(rid));
        out.send(IotHubTopic.METHOD_CALLS, new IotHubTopic.MethodCall(method, rid).format(), payload);
        return f;
    }

    /** The client answered a call. */
    void answered(IotHubTopic.MethodResponse answer, byte[] payload) {
        CompletableFuture<MethodResult> f = pending.remove(answer.rid());
        if (f == null) {
            LOG.info("{} answered method request {} after its timeout, or one it was not sent", identity,
                    answer.rid());
            return;
        }
        f.complete(new MethodResult(answer.status(), payload.length == 0 ? "null"
                : new String(payload, StandardCharsets.UTF_8)));
    }

    /** The connection ended: calls still waiting get 404. */
    void close() {
        pending.values().forEach(f -> f.complete(MethodResult.error(404, identity
                + " disconnected before it answered")));
    }
}
