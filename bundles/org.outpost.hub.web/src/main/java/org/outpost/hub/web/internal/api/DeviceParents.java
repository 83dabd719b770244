/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;

/**
 * A device's {@code parentId} as the API takes it: at registration and in a PATCH. What is wrong with it is a 400 with
 * the path {@code parentId} (an unknown parent is a bad request, not a missing resource).
 */
final class DeviceParents {

    private DeviceParents() {
    }

    /**
     * @return the parent a registration names, checked (a registered device, not too deep); null if it names none
     * @throws ApiException 400 at {@code parentId} if it cannot be the parent
     */
    static String parentOf(JsonNode body, DeviceRegistry registry) {
        JsonNode p = body.path("parentId");
        if (p.isMissingNode() || p.isNull()) {
            return null;
        }
        if (!p.isTextual()) {
            throw new ApiException(400, "parentId is the id of a registered gateway (a string), or null", "parentId");
        }
        Device at = registry.device(p.asText()).orElseThrow(() -> new ApiException(400, "no parent device '"
                + p.asText() + "' is registered: register the gateway first, or give another parentId", "parentId"));
        int depth = 1;
        while (at.parentId() != null && depth <= DeviceRegistry.MAX_DEPTH) {
            depth++;
            at = registry.device(at.parentId()).orElse(null);
            if (at == null) {
                break;
            }
        }
        if (depth > DeviceRegistry.MAX_DEPTH) {
            throw new ApiException(400, "below '" + p.asText() + "' the device would be " + depth + " levels deep; at"
                    + " most " + DeviceRegistry.MAX_DEPTH + " are allowed: give a parent nearer the top", "parentId");
        }
        return p.asText();
    }

    /** Moves a device below the parent a PATCH gives (null: none). @throws ApiException 400 at parentId */
    static void move(DeviceRegistry registry, String id, JsonNode parent) {
        if (!parent.isNull() && !parent.isTextual()) {
            throw new ApiException(400, "parentId is the id of a registered gateway (a string), or null to take the"
                    + " parent away", "parentId");
        }
        try {
            registry.setParent(id, parent.isNull() ? null : parent.asText());
        } catch (IllegalArgumentException e) {
            throw refusal(e, parent.isNull() ? null : parent.asText());
        }
    }

    /** @return what the caller is told of a refusal of the registry, at {@code parentId} if it concerns the parent */
    static RuntimeException refusal(IllegalArgumentException e, String parent) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (parent != null && (m.contains("parent") || m.contains("levels deep") || m.contains("cycle"))) {
            return new ApiException(400, m, "parentId");
        }
        return e;
    }
}
