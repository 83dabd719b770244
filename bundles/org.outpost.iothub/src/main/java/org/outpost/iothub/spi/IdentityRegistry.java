/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a gateway registers the identities of its modules, over its own connection (an Outpost extension of the IoT
 * Hub MQTT contract, docs/protocol.md): the client subscribes to {@code $outpost/identities/res/#}, publishes
 * {@code $outpost/identities/modules/PUT/<moduleId>/?$rid=<n>} with
 * {@code {"generationId": ..., "primaryKey": ..., "secondaryKey": ...}} or
 * {@code $outpost/identities/modules/DELETE/<moduleId>/?$rid=<n>} with no body, and is answered on
 * {@code $outpost/identities/res/<status>/?$rid=<n>} (200 or 204 done, 400 bad request, 403 not allowed, 404 no such
 * identity for a delete). The registry decides who may: the hub lets a device's {@code $edgeAgent} (or the device)
 * register modules of its own device only. Called on session threads, which it may block. {@link #NONE} refuses all.
 */
@ConsumerType
public interface IdentityRegistry {

    /** Keeps no identities: every request is answered 404. */
    IdentityRegistry NONE = new IdentityRegistry() {
        @Override
        public Answer putModule(Identity caller, String moduleId, String bodyJson) {
            return new Answer(404, "{\"message\":\"this server keeps no module identities\"}");
        }

        @Override
        public Answer deleteModule(Identity caller, String moduleId) {
            return new Answer(404, "{\"message\":\"this server keeps no module identities\"}");
        }
    };

    /**
     * An answer.
     *
     * @param status 200/204 done, 400 bad request, 403 not allowed, 404 not found
     * @param bodyJson a JSON body, {@code {"message": "..."}} when refused
     */
    record Answer(int status, String bodyJson) {
    }

    /**
     * Creates or replaces a module identity of the caller's device.
     *
     * @param caller the connected identity that asks
     * @param moduleId the module
     * @param bodyJson {@code {"generationId": ..., "primaryKey": ..., "secondaryKey": ...}}
     */
    Answer putModule(Identity caller, String moduleId, String bodyJson);

    /**
     * Deletes a module identity of the caller's device (its open connections are closed).
     *
     * @param caller the connected identity that asks
     * @param moduleId the module
     */
    Answer deleteModule(Identity caller, String moduleId);

    /**
     * A gateway's device scope (an Outpost extension, {@code org.outpost.protocol.DeviceScope}): every device below
     * the caller's device, with its credentials, so that the gateway authenticates its children while the server is
     * away.
     *
     * @param caller the connected identity that asks: a device, or its {@code $edgeHub} or {@code $edgeAgent}
     * @return 200 with the scope's JSON, or 403/404 with {@code {"message": ...}}; 404 unless implemented
     */
    default Answer scope(Identity caller) {
        return new Answer(404, "{\"message\":\"this server keeps no device scopes\"}");
    }

    /**
     * @param caller a connected identity that subscribed to the scope's changes
     *            ({@code org.outpost.protocol.IotHubTopic#SCOPE_CHANGES})
     * @param changed told the scope's new version whenever the caller's device scope changes (on any thread); the
     *            server publishes {@code ScopeChanged} to the caller
     * @return stops it (when the connection ends); by default nothing is ever told
     */
    default Subscription onScopeChange(Identity caller, java.util.function.LongConsumer changed) {
        return () -> {
        };
    }
}
