/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.outpost.downstream.api.ChildScope;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gateway's device scope (the devices below it, with their credentials) as the hub (or the parent gateway)
 * holds it, over the {@code $edgeHub} connection: at each connect it asks for the scope
 * ({@link IotHubTopic.ScopeRequest}), and again whenever the hub says it changed ({@link IotHubTopic.ScopeChanged};
 * changes heard while a request waits make one more request, not one each), and hands it to the downstream bundle's
 * {@link ChildScope}. Without that service (a gateway without the downstream bundle) it asks nothing. A hub without
 * scopes (404) is told once at INFO and asked again only at the next connect. The answers carry keys: no body is ever
 * logged, only the hub's {@code message} of a refusal. Runs on the twins' worker only.
 */
final class ScopeSync implements TwinClient.Extension {

    /** How long an answer may take before the scope is asked for again. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ScopeSync.class);

    private final Supplier<Optional<ChildScope>> scope;
    private final ObjectMapper json;
    private final Duration answerTimeout;
    private TwinClient.Sender sender;
    private long rids;
    /** The request waiting for its answer, or null. */
    private String waitingRid;
    private long sentNanos;
    /** A change was heard while a request waited: ask again after its answer. */
    private boolean again;
    /** The hub said it keeps no scopes (404): not asked again until the next connect. */
    private boolean unsupported;
    private boolean unsupportedLogged;

    /** @param scope the downstream bundle's scope, if it is there now */
    ScopeSync(Supplier<Optional<ChildScope>> scope, ObjectMapper json, Duration answerTimeout) {
        this.scope = scope;
        this.json = json;
        this.answerTimeout = answerTimeout;
    }

    @Override
    public String topicFilter() {
        return IotHubTopic.IDENTITY_RESPONSES;
    }

    @Override
    public List<String> topicFilters() {
        return List.of(IotHubTopic.IDENTITY_RESPONSES, IotHubTopic.SCOPE_CHANGES);
    }

    @Override
    public boolean owns(String topic) {
        return topic.startsWith(IotHubTopic.IDENTITIES);
    }

    @Override
    public void connected(TwinClient.Sender s) {
        sender = s;
        waitingRid = null;
        again = false;
        unsupported = false;
        request();
    }

    @Override
    public void disconnected() {
        sender = null;
        waitingRid = null;
        again = false;
    }

    /**
     * Asks for the scope, if connected, the downstream bundle is there, the hub keeps scopes and no request waits
     * (one that waited longer than the answer timeout is given up). Also run when the downstream bundle arrives and
     * by the twins' periodic tick.
     */
    void request() {
        if (sender == null || unsupported || scope.get().isEmpty()) {
            return;
        }
        if (waitingRid != null) {
            if (System.nanoTime() - sentNanos < answerTimeout.toNanos()) {
                return;
            }
            LOG.warn("The hub did not answer the request for the gateway's device scope within {} s; asking again",
                    answerTimeout.toSeconds());
        }
        String rid = "scope-" + ++rids;
        if (sender.send(new IotHubTopic.ScopeRequest(rid).format(), "")) {
            waitingRid = rid;
            sentNanos = System.nanoTime();
            again = false;
        }
    }

    @Override
    public void received(String topic, String body) {
        IotHubTopic t;
        try {
            t = IotHubTopic.parse(topic).orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.debug("Ignoring '{}' from the hub: {}", topic, e.getMessage());
            return;
        }
        if (t instanceof IotHubTopic.ScopeChanged changed) {
            LOG.debug("The hub says the gateway's device scope changed (version {})", changed.version());
            if (waitingRid != null) {
                again = true;
            } else {
                request();
            }
        } else if (t instanceof IotHubTopic.IdentityResponse answer && answer.rid().equals(waitingRid)) {
            waitingRid = null;
            answered(answer.status(), body);
            if (again) {
                request();
            }
        }
    }

    private void answered(int status, String body) {
        if (status == 404) {
            unsupported = true;
            again = false;
            if (!unsupportedLogged) {
                unsupportedLogged = true;
                LOG.info("The hub keeps no device scopes ({}): this gateway's children cannot be authenticated from"
                        + " it; asking again at the next connection", reason(body));
            }
            return;
        }
        if (status != 200) {
            LOG.warn("The hub refused the gateway's device scope ({} {}); asking again when it changes or at the"
                    + " next connection", status, reason(body));
            return;
        }
        Optional<ChildScope> target = scope.get();
        if (target.isEmpty()) {
            return;
        }
        try {
            DeviceScope s = DeviceScope.parse(body);
            target.get().replace(s);
            LOG.debug("Stored the gateway's device scope: {}", s);
        } catch (IllegalArgumentException e) {
            // The message names a JSON path, never a value.
            LOG.error("The hub's device scope is not usable: {}; the children are authenticated from the scope stored"
                    + " before until it sends a good one", e.getMessage());
        } catch (IOException e) {
            LOG.error("Cannot store the gateway's device scope: {}; the scope stored before stays (check the disk"
                    + " of the gateway's data folder and etc/outpost-secrets/)", e.getMessage());
        }
    }

    /** @return the hub's {@code message} (an answer that is not an error's carries keys: never its text) */
    private String reason(String body) {
        try {
            JsonNode message = json.readTree(body).path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        return "no message";
    }
}
