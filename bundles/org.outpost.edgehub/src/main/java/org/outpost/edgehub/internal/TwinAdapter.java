/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.twin.api.GatewayTwins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected modules' twins are the gateway's copies ({@link GatewayTwins}), so they work while the hub is away:
 * a twin GET answers the gateway's copy (an empty twin for a module that has none yet, as a new module identity has
 * at IoT Hub), a reported patch is stored there (and the twins take it to the hub), and each desired change the
 * gateway hears of goes to the module as a desired patch with its {@code $version}.
 */
final class TwinAdapter implements TwinService {

    private static final Logger LOG = LoggerFactory.getLogger(TwinAdapter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayTwins twins;
    private final Supplier<String> deviceId;

    /** @param deviceId this gateway's device id, whose modules' twins these are */
    TwinAdapter(GatewayTwins twins, Supplier<String> deviceId) {
        this.twins = twins;
        this.deviceId = deviceId;
    }

    @Override
    public TwinDocument twin(Identity identity) {
        return twins.twin(module(identity)).map(TwinDocument::parse).orElseGet(TwinDocument::empty);
    }

    @Override
    public TwinDocument patchReported(Identity identity, String patchJson) {
        String module = module(identity);
        try {
            twins.patchReported(module, patchJson);
        } catch (TwinException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // Answered 400 with the reason, as IoT Hub answers a patch it refuses.
            throw new TwinException("reported", e.getMessage());
        }
        return twin(identity);
    }

    @Override
    public Subscription onDesiredPatch(DesiredPatchListener listener) {
        AutoCloseable stop = twins.onDesiredChange((module, patchJson, version) -> {
            Identity identity;
            try {
                identity = Identity.module(deviceId.get(), module);
            } catch (IllegalArgumentException e) {
                return;
            }
            listener.desiredPatch(identity, version, withVersion(patchJson, version));
        });
        return () -> {
            try {
                stop.close();
            } catch (Exception e) {
                LOG.debug("Removing the desired change listener: {}", e.toString());
            }
        };
    }

    /** @return the patch with {@code "$version": version}, as IoT Hub sends a desired patch */
    static String withVersion(String patchJson, long version) {
        try {
            JsonNode patch = JSON.readTree(patchJson);
            ObjectNode out = patch instanceof ObjectNode o ? o : JSON.createObjectNode();
            out.put("$version", version);
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the desired patch of version " + version + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** @return the module whose twin this is: only this gateway's modules have twins here */
    private String module(Identity identity) {
        if (identity.kind() != Identity.Kind.MODULE || !identity.deviceId().equals(deviceId.get())) {
            throw new IllegalArgumentException(identity + " is not a module of this gateway; it has no twin here");
        }
        return identity.moduleId();
    }
}
