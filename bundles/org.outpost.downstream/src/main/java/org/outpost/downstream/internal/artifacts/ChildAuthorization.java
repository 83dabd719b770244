/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

import org.outpost.downstream.api.ChildScope;
import org.outpost.iothub.spi.Credentials;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.SasToken;

/**
 * Who may fetch artifacts: a child gateway of this gateway's scope (a descendant marked {@code edge}, enabled), with
 * a device-level SAS token signed with its key
 * ({@code Authorization: SharedAccessSignature sr=<host>/devices/<id>&...}),
 * or, for Maven clients that only know user names and passwords (pax-url's {@code settings.xml} servers), HTTP Basic
 * with its device id and either such a token or its device key (which this gateway holds in its scope anyway).
 */
final class ChildAuthorization {

    /** The child let in, or why not (for the log and the client: no key or token in it). */
    record Decision(String deviceId, String refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    private final ChildScope scope;
    private final Clock clock;

    ChildAuthorization(ChildScope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    /** @param authorization the request's Authorization header, or null */
    Decision check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Decision(null, "no Authorization header: send a child gateway's SAS token"
                    + " (SharedAccessSignature ...) or Basic <device id>:<device key>");
        }
        String a = authorization.strip();
        if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(a.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Decision(null, "Basic credentials are not Base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return new Decision(null, "Basic credentials are not <device id>:<password>");
            }
            String device = decoded.substring(0, colon);
            String password = decoded.substring(colon + 1);
            return password.startsWith("SharedAccessSignature ") ? token(password, device) : key(device, password);
        }
        return token(a, null);
    }

    private Decision token(String value, String claimed) {
        SasToken token;
        try {
            token = SasToken.parse(value);
        } catch (IllegalArgumentException e) {
            return new Decision(null, e.getMessage());
        }
        Optional<String> device = token.device();
        if (device.isEmpty()) {
            return new Decision(null, "the SAS token is not a device's (" + token.resource() + "): use the child"
                    + " gateway's device key");
        }
        if (claimed != null && !claimed.equals(device.get())) {
            return new Decision(device.get(), "the user name " + claimed + " is not the token's device");
        }
        Decision child = childGateway(device.get());
        if (!child.accepted()) {
            return child;
        }
        DeviceScope.Device d = scope.current().orElseThrow().device(device.get()).orElseThrow();
        return Credentials.checkSasToken(token, "devices/" + d.deviceId(), d.primaryKey(), d.secondaryKey(),
                clock.instant()).map(why -> new Decision(d.deviceId(), why)).orElse(new Decision(d.deviceId(), null));
    }

    private Decision key(String device, String key) {
        Decision child = childGateway(device);
        if (!child.accepted()) {
            return child;
        }
        DeviceScope.Device d = scope.current().orElseThrow().device(device).orElseThrow();
        return matches(key, d.primaryKey()) || matches(key, d.secondaryKey()) ? new Decision(device, null)
                : new Decision(device, "the password is not the device key of " + device);
    }

    private static boolean matches(String given, String key) {
        return key != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                key.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a device is a child gateway here: below this gateway, enabled, and a gateway ({@code edge}). */
    private Decision childGateway(String device) {
        Optional<DeviceScope> s = scope.current();
        if (s.isEmpty()) {
            return new Decision(device, "this gateway has not yet heard its device scope from the hub");
        }
        Optional<DeviceScope.Device> d = s.get().device(device);
        if (d.isEmpty() || !s.get().isBelow(device, s.get().deviceId())) {
            return new Decision(device, device + " is not a device below this gateway");
        }
        if (!d.get().enabled()) {
            return new Decision(device, device + " is disabled at the hub");
        }
        if (!d.get().edge()) {
            return new Decision(device, device + " is not a gateway (only child gateways fetch artifacts)");
        }
        return new Decision(device, null);
    }
}
