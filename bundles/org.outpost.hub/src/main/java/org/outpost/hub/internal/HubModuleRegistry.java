/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.api.module.ModuleNames;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;

/**
 * Where gateways register their modules' identities at the hub ({@link ModuleStore}). Only a device's
 * {@code $edgeAgent}, or the device itself, registers or deletes module identities, of its own device only; the device
 * must be enabled. A PUT of a module whose identity has another generation (or other keys) replaces it, and the old
 * identity's connections are closed, as after a DELETE (through {@link ModuleStore#onRevoked}, on every hub node).
 * Answers: 200 with the identity without its keys ({@code deviceId, moduleId, generationId, managedBy, created,
 * change}: created, replaced or unchanged), 204 deleted, 400 a bad module id or body (naming the field), 403 not
 * allowed, 404 no such device or module identity.
 */
final class HubModuleRegistry implements IdentityRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_GENERATION_ID = 128;

    private final DeviceStore devices;
    private final ModuleStore modules;
    private final DeviceScopes scopes;

    HubModuleRegistry(DeviceStore devices, ModuleStore modules) {
        this.devices = devices;
        this.modules = modules;
        this.scopes = new DeviceScopes(devices, modules);
    }

    /**
     * The device scope of the caller's device: only the gateway itself, its {@code $edgeHub} or its
     * {@code $edgeAgent} may ask (a module of its own has no business with its children's keys); 403 otherwise or
     * while the gateway is disabled, 404 if it is not registered.
     */
    @Override
    public Answer scope(Identity caller) {
        String gateway = caller.deviceId();
        if (!mayReadScope(caller)) {
            return refuse(403, caller + " may not read a device scope: only " + gateway + ", " + gateway
                    + "/$edgeHub or " + gateway + "/$edgeAgent may read " + gateway + "'s");
        }
        if (!devices.exists(gateway)) {
            return refuse(404, "no device '" + gateway + "' is registered");
        }
        if (!devices.enabled(gateway)) {
            return refuse(403, "device '" + gateway + "' is disabled");
        }
        return new Answer(200, scopes.of(gateway).toJson());
    }

    @Override
    public org.outpost.iothub.spi.Subscription onScopeChange(Identity caller,
            java.util.function.LongConsumer changed) {
        if (!mayReadScope(caller)) {
            return () -> {
            };
        }
        return scopes.onChange(caller, changed);
    }

    private static boolean mayReadScope(Identity caller) {
        return caller.kind() == Identity.Kind.DEVICE || caller.kind() == Identity.Kind.MODULE
                && ModuleStore.SYSTEM_MODULES.contains(caller.moduleId());
    }

    @Override
    public Answer putModule(Identity caller, String moduleId, String bodyJson) {
        Answer refused = check(caller, moduleId);
        if (refused != null) {
            return refused;
        }
        JsonNode body;
        try {
            body = JSON.readTree(bodyJson);
        } catch (JsonProcessingException e) {
            return refuse(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return refuse(400, "the body is not a JSON object: give {\"generationId\": ..., \"primaryKey\": ...,"
                    + " \"secondaryKey\": ...}");
        }
        String generation = body.path("generationId").textValue();
        if (generation == null || generation.isBlank() || generation.length() > MAX_GENERATION_ID) {
            return refuse(400, "generationId: a string of 1 to " + MAX_GENERATION_ID + " characters is needed");
        }
        String primary;
        String secondary;
        try {
            primary = key(body, "primaryKey");
            secondary = key(body, "secondaryKey");
        } catch (IllegalArgumentException e) {
            return refuse(400, e.getMessage());
        }
        ModuleRepository.Change change = modules.put(caller.deviceId(), moduleId, generation, primary, secondary);
        ModuleIdentity m = modules.module(caller.deviceId(), moduleId).orElseThrow();
        ObjectNode out = JSON.createObjectNode().put("deviceId", m.deviceId()).put("moduleId", m.moduleId())
                .put("generationId", m.generationId()).put("managedBy", m.managedBy())
                .put("created", m.created().toString()).put("change", change.name().toLowerCase(Locale.ROOT));
        return new Answer(200, out.toString());
    }

    @Override
    public Answer deleteModule(Identity caller, String moduleId) {
        Answer refused = check(caller, moduleId);
        if (refused != null) {
            return refused;
        }
        return modules.delete(caller.deviceId(), moduleId) ? new Answer(204, "")
                : refuse(404, "no module identity '" + caller.deviceId() + "/" + moduleId + "'");
    }

    /** @return the refusal, or null if the caller may change this module identity of its device */
    private Answer check(Identity caller, String moduleId) {
        String device = caller.deviceId();
        boolean mayManage = caller.kind() == Identity.Kind.DEVICE || caller.kind() == Identity.Kind.MODULE
                && ModuleStore.MANAGED_BY.equals(caller.moduleId());
        if (!mayManage) {
            return refuse(403, caller + " may not manage module identities: only " + device + "/"
                    + ModuleStore.MANAGED_BY + " (or the device " + device + ") may, for its own device");
        }
        if (ModuleStore.SYSTEM_MODULES.contains(moduleId)) {
            return refuse(400, "'" + moduleId + "' is a system module: it authenticates with the device's"
                    + " credentials and has no identity of its own");
        }
        if (!ModuleNames.isValid(moduleId)) {
            return refuse(400, "module id '" + moduleId + "' is not valid: 1 to 64 letters, digits, '-' or '_'");
        }
        if (!devices.exists(device)) {
            return refuse(404, "no device '" + device + "' is registered");
        }
        if (!devices.enabled(device)) {
            return refuse(403, "device '" + device + "' is disabled");
        }
        return null;
    }

    /** @return the key at {@code field}, checked (Base64 of 16 to 64 bytes) */
    private static String key(JsonNode body, String field) {
        String key = body.path(field).textValue();
        if (key == null) {
            throw new IllegalArgumentException(field + ": a Base64 key (16 to 64 bytes) is needed");
        }
        return DeviceKeys.checkGiven(key, field);
    }

    private static Answer refuse(int status, String message) {
        return new Answer(status, MethodResult.message(message));
    }
}
