/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.util.function.Supplier;

import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;

/**
 * Who may connect to the gateway's endpoint: its own modules ({@code <gateway>/<module>}, {@link ModuleAuthenticator}),
 * and the devices below it and their modules ({@link ChildAuthenticator}). The gateway's own device id is neither.
 */
final class GatewayAuthenticator implements IdentityAuthenticator {

    private final Supplier<String> gatewayId;
    private final IdentityAuthenticator modules;
    private final IdentityAuthenticator children;

    GatewayAuthenticator(Supplier<String> gatewayId, IdentityAuthenticator modules, IdentityAuthenticator children) {
        this.gatewayId = gatewayId;
        this.modules = modules;
        this.children = children;
    }

    @Override
    public Authentication authenticate(Identity claimed, Credentials credentials) {
        String gateway = gatewayId.get();
        if (claimed.deviceId().equals(gateway)) {
            return modules.authenticate(claimed, credentials);
        }
        return children.authenticate(claimed, credentials);
    }
}
