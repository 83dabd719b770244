/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.SasToken;

/**
 * Lets in the devices below this gateway, from its device scope (so also while the hub is away): a device with its
 * own credentials (a SAS token for {@code <hub host name>/devices/<d>} or {@code devices/<d>} signed with one of its
 * keys, the key itself, or a client certificate with its SHA-256 thumbprint), as {@link Identity.Kind#CHILD_DEVICE}
 * or, if it is a gateway ({@link #isGateway}), {@link Identity.Kind#CHILD_GATEWAY}; a module {@code B/m} of a gateway below
 * with the module's keys, or {@code B/$edgeAgent} and {@code B/$edgeHub} with B's credentials, as
 * {@link Identity.Kind#MODULE}; and "on behalf of": a gateway B below this one presenting its own device token (or
 * certificate) with the client id of a device below B or of a module of one (docs/gateways.md). Disabled devices and
 * anything not in the scope are refused, the reason naming no secret.
 */
final class ChildAuthenticator implements IdentityAuthenticator {

    /** The modules that connect with their device's credentials. */
    static final Set<String> SYSTEM_MODULES = Set.of("$edgeAgent", "$edgeHub");
    /** The longest a SAS token may still be valid when presented (what a gateway may make: a year). */
    static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);

    private final Supplier<Optional<DeviceScope>> scope;
    private final Supplier<String> gatewayId;
    private final String hubHostName;
    private final Clock clock;

    /**
     * @param hubHostName the hub's host name, which the children's tokens name (tokens naming no host are taken too)
     */
    ChildAuthenticator(Supplier<Optional<DeviceScope>> scope, Supplier<String> gatewayId, String hubHostName,
            Clock clock) {
        this.scope = scope;
        this.gatewayId = gatewayId;
        this.hubHostName = hubHostName;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Identity claimed, Credentials credentials) {
        String gateway = gatewayId.get();
        Optional<DeviceScope> current = scope.get();
        if (current.isEmpty()) {
            return Authentication.refused("'" + claimed + "' is not a module of this gateway '" + gateway + "', and"
                    + " the gateway has no device scope yet (it has not heard from the hub which devices are below"
                    + " it; see edge:children --scope)");
        }
        DeviceScope s = current.get();
        Optional<DeviceScope.Device> found = s.device(claimed.deviceId());
        if (found.isEmpty()) {
            return Authentication.refused("device '" + claimed.deviceId() + "' is not below this gateway '" + gateway
                    + "' (at the hub its parent must be " + gateway + " or a device below it:"
                    + " hub:device-update --parent " + gateway + " " + claimed.deviceId() + ")");
        }
        DeviceScope.Device device = found.get();
        if (!device.enabled()) {
            return Authentication.refused("device '" + device.deviceId() + "' is disabled at the hub");
        }
        if (claimed.kind() == Identity.Kind.MODULE && !SYSTEM_MODULES.contains(claimed.moduleId())
                && device.modules().stream().noneMatch(m -> m.moduleId().equals(claimed.moduleId()))) {
            return Authentication.refused("module '" + claimed + "' has no identity at the hub (its gateway '"
                    + device.deviceId() + "' registers its modules when it connects)");
        }
        Identity accepted = claimed.kind() == Identity.Kind.MODULE ? claimed : new Identity(isGateway(s, device)
                ? Identity.Kind.CHILD_GATEWAY : Identity.Kind.CHILD_DEVICE, device.deviceId(), null);
        Optional<String> why;
        if (credentials.password().isEmpty()) {
            why = certificate(claimed, device, credentials, s);
        } else if (!credentials.hasSasToken()) {
            why = rawKey(claimed, device, credentials.password().get());
        } else {
            SasToken token;
            try {
                token = credentials.sasToken();
            } catch (IllegalArgumentException e) {
                return Authentication.refused(claimed + " gave a malformed SAS token: " + e.getMessage());
            }
            Optional<String> signer = token.device();
            if (signer.isPresent() && !signer.get().equals(claimed.deviceId())) {
                why = onBehalfOf(claimed, signer.get(), token, s);
            } else if (claimed.kind() == Identity.Kind.MODULE && !SYSTEM_MODULES.contains(claimed.moduleId())) {
                DeviceScope.Module m = device.modules().stream().filter(x -> x.moduleId().equals(claimed.moduleId()))
                        .findFirst().orElseThrow();
                why = token(claimed, token, claimed, m.primaryKey(), m.secondaryKey());
            } else {
                // The device, or its $edgeAgent/$edgeHub: a module token signed with the device's key, or the
                // device's own token.
                Identity signedFor = signer.isPresent() ? Identity.device(device.deviceId()) : claimed;
                why = token(claimed, token, signedFor, device.primaryKey(), device.secondaryKey());
            }
        }
        return why.<Authentication>map(w -> Authentication.refused(claimed + ": " + w)).orElseGet(() -> Authentication
                .accepted(accepted));
    }

    /**
     * @return whether the device is a gateway: the scope marks it so, or it has module identities or devices below
     *         it (a gateway whose hub has not marked it yet still sends for them)
     */
    static boolean isGateway(DeviceScope s, DeviceScope.Device device) {
        return device.edge() || !device.modules().isEmpty() || s.devices().stream().anyMatch(d -> d.parentId()
                .equals(device.deviceId()));
    }

    /** A token of a gateway B below this one, for a device below B (or a module of one). */
    private Optional<String> onBehalfOf(Identity claimed, String signer, SasToken token, DeviceScope s) {
        Optional<DeviceScope.Device> b = s.device(signer);
        if (b.isEmpty()) {
            return Optional.of("it gave a token of device '" + signer + "', which is not below this gateway");
        }
        if (!b.get().enabled()) {
            return Optional.of("it gave a token of device '" + signer + "' (on behalf of), which is disabled");
        }
        if (!s.isBelow(claimed.deviceId(), signer)) {
            return Optional.of("it gave a token of device '" + signer + "', which is not above '"
                    + claimed.deviceId() + "': a gateway connects only its descendants on its behalf");
        }
        return token(claimed, token, Identity.device(signer), b.get().primaryKey(), b.get().secondaryKey())
                .map(w -> "on behalf of " + signer + ": " + w);
    }

    private Optional<String> token(Identity claimed, SasToken token, Identity signedFor, String key,
            String secondary) {
        if (key == null && secondary == null) {
            return Optional.of("a SAS token, but " + signedFor + " has no keys at the hub (X.509 only)");
        }
        Instant now = clock.instant();
        if (token.expiry().isAfter(now.plus(MAX_TOKEN_LIFETIME))) {
            return Optional.of("SAS token expires at " + token.expiry() + ", more than a year from now: make tokens"
                    + " that expire sooner");
        }
        String plain = signedFor.sasResource("").substring(1);
        boolean noHost = token.resource().replaceAll("/$", "").equalsIgnoreCase(plain);
        String resource = noHost ? plain : signedFor.sasResource(hubHostName);
        return Credentials.checkSasToken(token, resource, key, secondary, now).map(w -> w.replace("the device key",
                signedFor.moduleId() == null ? "the device's keys" : "the module's keys"));
    }

    private static Optional<String> rawKey(Identity claimed, DeviceScope.Device device, String password) {
        String primary;
        String secondary;
        if (claimed.kind() == Identity.Kind.MODULE && !SYSTEM_MODULES.contains(claimed.moduleId())) {
            DeviceScope.Module m = device.modules().stream().filter(x -> x.moduleId().equals(claimed.moduleId()))
                    .findFirst().orElseThrow();
            primary = m.primaryKey();
            secondary = m.secondaryKey();
        } else {
            primary = device.primaryKey();
            secondary = device.secondaryKey();
        }
        return same(primary, password) || same(secondary, password) ? Optional.empty() : Optional.of("wrong key");
    }

    private static boolean same(String key, String given) {
        return key != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), given.getBytes(
                StandardCharsets.UTF_8));
    }

    /** Its own certificate, or (on behalf of) the certificate of a gateway above it, by SHA-256 thumbprint. */
    private static Optional<String> certificate(Identity claimed, DeviceScope.Device device, Credentials credentials,
            DeviceScope s) {
        if (credentials.certificate().isEmpty()) {
            return Optional.of("no password and no client certificate (give a SAS token, or connect over TLS with"
                    + " the device's X.509 certificate)");
        }
        Optional<String> invalid = credentials.certificateValidity();
        if (invalid.isPresent()) {
            return invalid;
        }
        boolean own = claimed.kind() != Identity.Kind.MODULE || SYSTEM_MODULES.contains(claimed.moduleId());
        if (own && (matches(credentials, device.primaryThumbprint()) || matches(credentials, device
                .secondaryThumbprint()))) {
            return Optional.empty();
        }
        for (DeviceScope.Device b : s.devices()) {
            if (b.enabled() && s.isBelow(claimed.deviceId(), b.deviceId()) && (matches(credentials, b
                    .primaryThumbprint()) || matches(credentials, b.secondaryThumbprint()))) {
                return Optional.empty();
            }
        }
        return Optional.of("the client certificate's thumbprint is not the device's (nor that of an enabled gateway"
                + " above it)");
    }

    /** Only SHA-256 thumbprints count (a SHA-1 one could be matched by a forged certificate). */
    private static boolean matches(Credentials credentials, String thumbprint) {
        return thumbprint != null && thumbprint.length() == 64 && credentials.certificateMatches(thumbprint
                .toUpperCase(java.util.Locale.ROOT));
    }
}
