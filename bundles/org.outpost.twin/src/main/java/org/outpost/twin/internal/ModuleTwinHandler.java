/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.api.module.MethodHandler;

/**
 * A module's twin at the hub, as the gateway keeps it ({@link ModuleTwins}): desired properties from the hub go to the
 * gateway's twin store (and on to the module), the reported properties are the store's, and direct methods called at
 * the hub are the module's.
 */
final class ModuleTwinHandler implements TwinClient.Handler {

    /**
     * How long a direct method may run: the longest timeout a caller may give (IoT Hub: 300 s). The hub answers its
     * caller 504 after the call's own timeout, which the call from the hub does not carry.
     */
    static final Duration METHOD_TIMEOUT = Duration.ofSeconds(300);

    private final String module;
    private final ModuleTwins twins;
    private final ObjectMapper json;
    private final Runnable refused;

    /** @param refused run when the hub refuses the module's identity; the client stops trying then */
    ModuleTwinHandler(String module, ModuleTwins twins, ObjectMapper json, Runnable refused) {
        this.module = module;
        this.twins = twins;
        this.json = json;
        this.refused = refused;
    }

    @Override
    public boolean refused() {
        refused.run();
        return true;
    }

    @Override
    public void apply(JsonNode twin) {
        JsonNode desired = twin.path("desired");
        twins.desiredWhole(module, desired.toString(), desired.path("$version").asLong(1));
    }

    @Override
    public boolean patch(JsonNode patch) {
        ObjectNode p = ((ObjectNode) patch).deepCopy();
        long version = p.path("$version").asLong(-1);
        p.remove("$version");
        return twins.desiredPatch(module, p.toString(), version);
    }

    @Override
    public ObjectNode reported() {
        try {
            ObjectNode r = (ObjectNode) json.readTree(twins.document(module).reported());
            r.remove("$version");
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TwinClient.MethodAnswer call(String method, JsonNode payload) throws Exception {
        // The module's own answer comes within the timeout (504 otherwise); the extra minute only guards the thread.
        MethodHandler.Result r = twins.invoke(module, method, payload.toString(), METHOD_TIMEOUT)
                .toCompletableFuture().get(METHOD_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS);
        return new TwinClient.MethodAnswer(r.status(), r.payloadJson());
    }
}
