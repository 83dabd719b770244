/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the gateway's module identities at the hub, over the {@code $edgeAgent} connection (an Outpost extension
 * of the IoT Hub MQTT contract, {@code org.outpost.iothub.spi.IdentityRegistry}): at each connect and whenever an
 * identity is made or deleted, it sends what {@link ModuleIdentities#pending()} holds, one request per module, and
 * marks what the hub answered 200/204 (and 404 for a delete). A refusal is logged with the hub's reason and asked
 * again only after a back-off (per module) or at the next connect; a request the hub leaves unanswered (for
 * {@link #ANSWER_TIMEOUT}) is asked again after a back-off too, at a later {@link #sendPending()}. A module whose twin
 * the hub refused though it holds its identity by our books is {@link #registerAgain registered again}. No key is
 * logged. Runs on the twins' worker only.
 */
final class HubRegistration implements TwinClient.Extension {

    /** How long an answer may take before the request is sent again. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(HubRegistration.class);

    /** A request sent: a PUT of this generation, or a DELETE (generation null). */
    private record Request(String moduleId, String generationId, long sentNanos) {
        boolean delete() {
            return generationId == null;
        }
    }

    private final ModuleIdentities identities;
    private final ObjectMapper json;
    private final ScheduledExecutorService worker;
    private final Runnable onRegistered;
    private final Duration answerTimeout;
    private final AutoCloseable changes;
    private final Map<String, Request> inFlight = new HashMap<>();
    /** When a refused module may be asked for again. */
    private final Retries refused;
    /** Modules the hub holds by our books but refused a twin: registered again. */
    private final Set<String> again = new TreeSet<>();
    private long requestIds;
    /** Null while disconnected. */
    private TwinClient.Sender sender;

    /**
     * @param onRegistered run (on the worker) after the hub took a module's identity, so that its twin connects
     * @param answerTimeout how long an answer may take ({@link #ANSWER_TIMEOUT})
     * @param retryMin the first wait after a refusal or an unanswered request, doubling up to {@code retryMax}
     */
    HubRegistration(ModuleIdentities identities, ObjectMapper json, ScheduledExecutorService worker,
            Runnable onRegistered, Duration answerTimeout, Duration retryMin, Duration retryMax) {
        this.identities = identities;
        this.json = json;
        this.worker = worker;
        this.onRegistered = onRegistered;
        this.answerTimeout = answerTimeout;
        this.refused = new Retries(retryMin, retryMax);
        this.changes = identities.onChange(() -> {
            try {
                worker.execute(this::sendPending);
            } catch (RejectedExecutionException stopping) {
                LOG.debug("Identity change not sent to the hub: the twins are stopping");
            }
        });
    }

    /** Stops hearing of identity changes. */
    void close() {
        try {
            changes.close();
        } catch (Exception e) {
            LOG.debug("Closing the identity listener: {}", e.toString());
        }
    }

    @Override
    public String topicFilter() {
        return IotHubTopic.IDENTITY_RESPONSES;
    }

    @Override
    public boolean owns(String topic) {
        return topic.startsWith(IotHubTopic.IDENTITIES);
    }

    @Override
    public void connected(TwinClient.Sender s) {
        sender = s;
        inFlight.clear();
        refused.clear();
        sendPending();
    }

    @Override
    public void disconnected() {
        sender = null;
        inFlight.clear();
    }

    /**
     * Registers a module's identity again, though the hub holds it by our books (it refused the module's twin: its
     * database was reset, say).
     */
    void registerAgain(String module) {
        again.add(module);
        sendPending();
    }

    /** Sends what the hub has yet to hear, but what is waiting for an answer or for its retry. */
    void sendPending() {
        if (sender == null) {
            return;
        }
        long now = System.nanoTime();
        inFlight.values().removeIf(r -> {
            boolean late = now - r.sentNanos() > answerTimeout.toNanos();
            if (late) {
                // A hub without this extension drops the request: ask again, but not every tick.
                LOG.warn("The hub did not answer the {} of module {}'s identity within {} s (does it keep module"
                        + " identities?); asking again in {} s", r.delete() ? "deletion" : "registration",
                        r.moduleId(), answerTimeout.toSeconds(), refused.failed(r.moduleId()) / 1000);
            }
            return late;
        });
        ModuleIdentities.Pending pending = identities.pending();
        Map<String, ModuleIdentity> toRegister = new TreeMap<>();
        pending.toRegister().forEach(id -> toRegister.put(id.moduleId(), id));
        for (Iterator<String> it = again.iterator(); it.hasNext();) {
            String module = it.next();
            Optional<ModuleIdentity> id = identities.identity(module);
            if (id.isEmpty()) {
                it.remove();
            } else {
                toRegister.putIfAbsent(module, id.get());
            }
        }
        for (ModuleIdentity id : toRegister.values()) {
            if (!waiting(id.moduleId())) {
                String body = json.createObjectNode().put("generationId", id.generationId())
                        .put("primaryKey", id.primaryKey()).put("secondaryKey", id.secondaryKey()).toString();
                send("PUT", new Request(id.moduleId(), id.generationId(), now), body);
            }
        }
        for (String module : pending.toDelete()) {
            if (!waiting(module)) {
                send("DELETE", new Request(module, null, now), "");
            }
        }
    }

    private boolean waiting(String module) {
        return refused.waiting(module) || inFlight.values().stream().anyMatch(r -> r.moduleId().equals(module));
    }

    private void send(String verb, Request request, String body) {
        String rid = Long.toString(++requestIds);
        if (sender.send(new IotHubTopic.IdentityRequest(IotHubTopic.IdentityRequest.Method.valueOf(verb),
                request.moduleId(), rid).format(), body)) {
            inFlight.put(rid, request);
        }
    }

    @Override
    public void received(String topic, String body) {
        Request request = null;
        int status = 0;
        try {
            if (IotHubTopic.parse(topic).orElse(null) instanceof IotHubTopic.IdentityResponse answer) {
                request = inFlight.remove(answer.rid());
                status = answer.status();
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("Ignoring '{}' from the hub: {}", topic, e.getMessage());
        }
        if (request == null) {
            LOG.debug("Ignoring '{}' from the hub: no request of this gateway waits for it", topic);
            return;
        }
        String module = request.moduleId();
        if (request.delete() && (status == 200 || status == 204 || status == 404)) {
            refused.succeeded(module);
            identities.deletedAtHub(module);
            LOG.info("Module {}: its identity is deleted at the hub", module);
        } else if (!request.delete() && (status == 200 || status == 204)) {
            refused.succeeded(module);
            again.remove(module);
            identities.registeredAtHub(module, request.generationId());
            LOG.info("Module {}: its identity is registered at the hub (generation {})", module,
                    request.generationId());
            onRegistered.run();
        } else {
            long delayMs = refused.failed(module);
            LOG.error("The hub refused to {} module {}'s identity ({} {}); its twin cannot reach the hub until it"
                    + " does. Asking again in {} s or at the next connection; check the device at the hub"
                    + " (hub:modules)", request.delete() ? "delete" : "register", module, status, reason(body),
                    delayMs / 1000);
            worker.schedule(this::sendPending, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** @return the hub's {@code message}, or its answer's text (shortened) */
    private String reason(String body) {
        try {
            JsonNode message = json.readTree(body).path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the text itself
        }
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
