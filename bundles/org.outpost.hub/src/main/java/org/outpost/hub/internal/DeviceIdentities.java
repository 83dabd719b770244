/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;
import java.util.Optional;

import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.protocol.SasToken;

/**
 * Who may connect to the hub's IoT Hub endpoint: a registered, enabled device (or one of its module identities, with
 * the device's credentials) that gives a SAS token signed with its primary or secondary key, the key itself, or (over
 * TLS, without a password) the X.509 certificate whose thumbprint it is registered with.
 */
final class DeviceIdentities implements IdentityAuthenticator {

    private final DeviceStore devices;

    DeviceIdentities(DeviceStore devices) {
        this.devices = devices;
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
        Optional<String> why = credentials.password().isEmpty() ? certificate(device, credentials)
                : !credentials.hasSasToken() ? key(device, credentials.password().get())
                        : sasToken(claimed, credentials);
        if (why.isPresent()) {
            return Authentication.refused(why.get());
        }
        devices.seen(device);
        return Authentication.accepted(claimed);
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
