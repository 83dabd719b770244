/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.time.Clock;
import java.util.Optional;

import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.protocol.SasToken;

/**
 * Lets in the modules of this gateway's device only, each with a SAS token signed with its own primary or secondary
 * key for {@code <hub host name>/devices/<d>/modules/<m>}, as an Azure IoT SDK signs it (from its connection string,
 * or through the workload API). The hub host name is the one modules are given ({@code IOTEDGE_IOTHUBHOSTNAME}).
 * Refusals say why, naming no key or token.
 */
final class ModuleAuthenticator implements IdentityAuthenticator {

    /** The environment variable that holds the hub's host name, which modules sign their tokens for. */
    static final String HUB_HOST_NAME = "IOTEDGE_IOTHUBHOSTNAME";

    private final ModuleIdentities identities;
    private final Clock clock;

    ModuleAuthenticator(ModuleIdentities identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Identity claimed, Credentials credentials) {
        String device = identities.deviceId();
        if (claimed.kind() != Identity.Kind.MODULE) {
            return Authentication.refused("'" + claimed + "' is not a module: only the modules of this gateway"
                    + " connect here, with the client id " + device + "/<module>");
        }
        if (!claimed.deviceId().equals(device)) {
            return Authentication.refused("'" + claimed + "' is not a module of this gateway's device '" + device
                    + "'");
        }
        Optional<ModuleIdentity> identity = identities.identity(claimed.moduleId());
        if (identity.isEmpty()) {
            return Authentication.refused("module '" + claimed.moduleId() + "' has no identity on this gateway"
                    + " (is it deployed? see edge:list)");
        }
        if (!credentials.hasSasToken()) {
            return Authentication.refused(claimed + " gave " + (credentials.password().isPresent()
                    ? "a password that is not a SAS token" : "no password") + ": a module connects with a SAS token"
                    + " (SharedAccessSignature ...) signed with its own key");
        }
        SasToken token;
        try {
            token = credentials.sasToken();
        } catch (IllegalArgumentException e) {
            return Authentication.refused(claimed + " gave a malformed SAS token: " + e.getMessage());
        }
        String resource = claimed.sasResource(hubHostName(claimed.moduleId()));
        ModuleIdentity keys = identity.get();
        Optional<String> wrong = Credentials.checkSasToken(token, resource, keys.primaryKey(), keys.secondaryKey(),
                clock.instant());
        return wrong.<Authentication>map(why -> Authentication.refused(claimed + ": " + why.replace("the device key",
                "the module's keys"))).orElseGet(() -> Authentication.accepted(claimed));
    }

    /** @return the hub host name the module was given, which its tokens name */
    private String hubHostName(String module) {
        String name = identities.environment(module, ModuleIdentities.Placement.PROCESS).get(HUB_HOST_NAME);
        if (name == null || name.isEmpty()) {
            throw new IllegalStateException("the module identities give module " + module + " no " + HUB_HOST_NAME);
        }
        return name;
    }
}
