/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;
import java.util.Optional;

import org.outpost.hub.api.ModuleRegistry;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.protocol.SasToken;

/**
 * Who may connect to the hub's IoT Hub endpoint: a registered, enabled device (or its {@code $edgeAgent} or
 * {@code $edgeHub}, for which its gateway connects with the device's credentials) that gives a SAS token signed with
 * its primary or secondary key, the key itself, or (over TLS, without a password) the X.509 certificate whose
 * thumbprint it is registered with. Any other module of an enabled device needs a module identity the gateway
 * registered ({@link ModuleStore}), and authenticates with that identity's own keys: a SAS token for
 * {@code <host>/devices/<d>/modules/<m>} signed with one of them, or the key itself. The device's key opens no other
 * module.
 */
final class DeviceIdentities implements IdentityAuthenticator {

    private final DeviceStore devices;
    private final ModuleStore modules;

    DeviceIdentities(DeviceStore devices, ModuleStore modules) {
        this.devices = devices;
        this.modules = modules;
    }

    @Override
    public Authentication authenticate(Identity claimed, Credentials credentials) {
        String device = claimed.deviceId();
        if (devices.device(device).isEmpty()) {
            return Authentication.refused("no device '" + device + "' is registered");
        }
        if (!devices.enabled(device)) {
            return Authentication.refused("device '" + device + "' is disabled (hub:device-enable " + device
                    + " lets it in again)");
        }
        Optional<String> why;
        if (claimed.kind() == Identity.Kind.MODULE && !ModuleStore.SYSTEM_MODULES.contains(claimed.moduleId())) {
            Optional<ModuleRegistry.Keys> keys = modules.keys(device, claimed.moduleId());
            if (keys.isEmpty()) {
                return Authentication.refused("no module identity '" + claimed.id() + "' at the hub: the gateway"
                        + " registers its modules when it connects");
            }
            why = module(claimed, credentials, keys.get());
        } else {
            why = device(claimed, credentials);
        }
        if (why.isPresent()) {
            return Authentication.refused(why.get());
        }
        devices.seen(device);
        return Authentication.accepted(claimed);
    }

    private Optional<String> module(Identity claimed, Credentials credentials, ModuleRegistry.Keys keys) {
        if (credentials.password().isEmpty()) {
            return Optional.of("a module identity authenticates with a SAS token or its key, not a client"
                    + " certificate");
        }
        if (!credentials.hasSasToken()) {
            return ModuleStore.matches(keys, credentials.password().get()) ? Optional.empty()
                    : Optional.of("wrong module key");
        }
        SasToken token;
        try {
            token = credentials.sasToken();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Credentials.checkSasToken(token, claimed.sasResource(credentials.hostName()), keys.primaryKey(),
                keys.secondaryKey(), Instant.now());
    }

    private Optional<String> device(Identity claimed, Credentials credentials) {
        String device = claimed.deviceId();
        return credentials.password().isEmpty() ? certificate(device, credentials)
                : !credentials.hasSasToken() ? key(device, credentials.password().get())
                        : sasToken(claimed, credentials);
    }

    private Optional<String> certificate(String device, Credentials credentials) {
        if (credentials.certificate().isEmpty()) {
            return Optional.of("no password and no client certificate (give a SAS token, or connect over TLS with the"
                    + " device's X.509 certificate)");
        }
        Optional<String> invalid = credentials.certificateValidity();
        if (invalid.isPresent()) {
            return invalid;
        }
        String registered = devices.thumbprint(device).orElse(null);
        if (registered == null) {
            return Optional.of("a client certificate, but the device has no thumbprint registered (hub:device-create"
                    + " --thumbprint)");
        }
        return credentials.certificateMatches(registered) ? Optional.empty()
                : Optional.of("the client certificate's thumbprint is not the device's");
    }

    private Optional<String> key(String device, String key) {
        return devices.verify(device, key) ? Optional.empty() : Optional.of("wrong device key");
    }

    private Optional<String> sasToken(Identity claimed, Credentials credentials) {
        SasToken token;
        try {
            token = credentials.sasToken();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        String key = devices.key(claimed.deviceId()).orElse(null);
        String secondary = devices.secondaryKey(claimed.deviceId()).orElse(null);
        if (key == null && secondary == null) {
            return Optional.of("the device's key predates SAS support on this hub: rotate it (hub:device-create"
                    + " --rotate)");
        }
        return Credentials.checkSasToken(token, claimed.sasResource(credentials.hostName()), key, secondary,
                Instant.now());
    }
}
