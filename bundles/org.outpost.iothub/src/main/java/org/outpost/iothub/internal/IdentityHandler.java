/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests to the identity registry (Outpost's extension, {@link IdentityRegistry}): a gateway
 * publishes {@code $outpost/identities/modules/<PUT|DELETE>/<moduleId>/?$rid=<rid>} and is answered on
 * {@code $outpost/identities/res/<status>/?$rid=<rid>}, if it subscribed to {@value IotHubTopic#IDENTITY_RESPONSES}.
 * A malformed request is answered 400 with the reason (dropped only when it has no {@code $rid} to answer). Bodies
 * carry keys: they are never logged.
 *
 * <p>
 * A gateway asks for its device scope with {@code $outpost/identities/scope/GET/?$rid=<rid>} (answered likewise, with
 * the scope's JSON: {@link IdentityRegistry#scope}), and hears of its changes once it subscribed to
 * {@value IotHubTopic#SCOPE_CHANGES}: the registry's {@link IdentityRegistry#onScopeChange} is watched until the
 * connection ends, and each change is published to it at QoS 1 as {@link IotHubTopic.ScopeChanged}, with no body.
 */
final class IdentityHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityHandler.class);

    private final Identity identity;
    private final IdentityRegistry registry;
    private final Outbox out;
    /** Watches the registry's scope changes for the client, once it subscribed to them; null before. */
    private Subscription scopeWatch;
    private boolean closed;

    IdentityHandler(Identity identity, IdentityRegistry registry, Outbox out) {
        this.identity = identity;
        this.registry = registry;
        this.out = out;
    }

    /** A request published on an identity topic ({@link IotHubTopic#IDENTITIES}...). */
    void request(String topic, byte[] payload) {
        IotHubTopic parsed;
        try {
            parsed = IotHubTopic.parse(topic).filter(t -> t instanceof IotHubTopic.IdentityRequest
                    || t instanceof IotHubTopic.ScopeRequest).orElseThrow(() -> new IllegalArgumentException(
                            "topic '" + topic + "' is an answer, not a request"));
        } catch (IllegalArgumentException e) {
            Optional<String> rid = IotHubTopic.requestId(topic);
            if (rid.isEmpty()) {
                LOG.warn("{} published a malformed identity request, with no $rid to answer it on: {}; dropped",
                        identity, e.getMessage());
                return;
            }
            refuse(rid.get(), e.getMessage());
            return;
        }
        if (parsed instanceof IotHubTopic.ScopeRequest scope) {
            IdentityRegistry.Answer answer = registry.scope(identity);
            // The scope carries keys: only its status is logged.
            LOG.info("{} asked for its device scope: {}", identity, answer.status());
            answer(scope.rid(), answer.status(), answer.bodyJson());
            return;
        }
        IotHubTopic.IdentityRequest request = (IotHubTopic.IdentityRequest) parsed;
        String body = new String(payload, StandardCharsets.UTF_8);
        if (request.method() == IotHubTopic.IdentityRequest.Method.PUT && body.isBlank()) {
            refuse(request.rid(), "a PUT of module identity '" + request.moduleId() + "' needs a JSON body:"
                    + " {\"generationId\": ..., \"primaryKey\": ..., \"secondaryKey\": ...}");
            return;
        }
        IdentityRegistry.Answer answer = switch (request.method()) {
            case PUT -> registry.putModule(identity, request.moduleId(), body);
            case DELETE -> registry.deleteModule(identity, request.moduleId());
        };
        LOG.info("{} asked to {} module identity {}/{}: {}", identity, request.method(), identity.deviceId(),
                request.moduleId(), answer.status());
        answer(request.rid(), answer.status(), answer.bodyJson());
    }

    /**
     * The client subscribed to {@value IotHubTopic#SCOPE_CHANGES}: from now until the connection ends, each change of
     * its device scope is published to it (while it stays subscribed).
     */
    synchronized void watchScope() {
        if (scopeWatch != null || closed) {
            return;
        }
        scopeWatch = registry.onScopeChange(identity, version -> {
            if (out.subscribed(IotHubTopic.SCOPE_CHANGES)) {
                LOG.debug("Telling {} that its device scope changed (version {})", identity, version);
                out.sendAtLeastOnce(out.nextPacketId(), new IotHubTopic.ScopeChanged(version).format(), new byte[0]);
            }
        });
    }

    /** The connection ended: stops watching the scope. */
    synchronized void close() {
        closed = true;
        if (scopeWatch != null) {
            scopeWatch.close();
            scopeWatch = null;
        }
    }

    private void refuse(String rid, String why) {
        LOG.warn("Refused an identity request of {}: {}", identity, why);
        answer(rid, 400, MethodResult.message(why));
    }

    private void answer(String rid, int status, String body) {
        out.send(IotHubTopic.IDENTITY_RESPONSES, new IotHubTopic.IdentityResponse(status, rid).format(),
                body == null ? "" : body);
    }
}
