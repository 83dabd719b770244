/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import org.outpost.hub.api.DeviceRegistry;

/**
 * What a call that no resource method takes is told, exactly as the API always said it: 404 "no such resource" (with
 * a pointer to the description outside the API's nouns), 405 for a method a device, a deployment, a twin or the
 * device list does not take; a twin or tags of an unknown device are 404 "no device" first.
 */
final class Unrouted {

    private final DeviceRegistry registry;

    Unrouted(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** The refusal for {@code method} on {@code path} (below /api, e.g. {@code /devices/x/twin}). */
    ApiException refusal(String method, String path) {
        String[] p = path.split("/");
        String root = p.length > 1 ? p[1] : "";
        switch (root) {
            case "devices":
                return devices(method, p);
            case "deployments":
                return deployments(method, p);
            default:
                return new ApiException(404, "no such resource: " + method + " /api" + String.join("/", p) + " (see"
                        + " /api/openapi.json)", null);
        }
    }

    private ApiException devices(String method, String[] p) {
        if (p.length < 3) {
            return new ApiException(405, method + " is not allowed on /api/devices", null);
        }
        String id = p[2];
        if (p.length == 3) {
            return new ApiException(405, method + " is not allowed on a device", null);
        }
        boolean twin = p.length == 4 && p[3].equals("twin") || p.length == 6 && p[3].equals("modules")
                && p[5].equals("twin");
        if (twin || p.length == 4 && p[3].equals("tags")) {
            if (registry.device(id).isEmpty()) {
                return new ApiException(404, "no device '" + id + "'", null);
            }
            if (twin) {
                return new ApiException(405, method + " is not allowed on a twin (GET, PATCH)", null);
            }
        }
        return noSuchResource(method, p);
    }

    private static ApiException deployments(String method, String[] p) {
        if (p.length == 2) {
            // The list is read-only: a deployment is created (or replaced) under its own id, as IoT Hub's API does.
            return new ApiException(405, method + " is not allowed on /api/deployments: create a deployment with PUT"
                    + " /api/deployments/{deploymentId} (see /api/openapi.json)", null);
        }
        if (p.length != 3) {
            return noSuchResource(method, p);
        }
        return new ApiException(405, method + " is not allowed on a deployment", null);
    }

    private static ApiException noSuchResource(String method, String[] p) {
        return new ApiException(404, "no such resource: " + method + " /api" + String.join("/", p), null);
    }
}
