/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.protocol.SasToken;

/**
 * The hub's one credential check, per kind of identity, for every listener: the IoT Hub endpoint (its plain and TLS
 * ports) and the broker's MQTT port ({@link DeviceAuthenticator}). Every check reads the registry afresh, so a device
 * disabled, deleted or given new keys is refused at once, on every node.
 *
 * <p>
 * A <b>device</b> (or its {@code $edgeAgent} or {@code $edgeHub}, for which its gateway connects with the device's
 * credentials) must be registered and enabled, and give a SAS token signed with its primary or secondary key that
 * expires within {@code max.token.lifetime.hours}, the key itself, or (over TLS, without a password) an X.509
 * certificate whose SHA-256 thumbprint is its primary or secondary one. Any other <b>module</b> of an enabled device
 * needs a module identity the gateway registered ({@link ModuleStore}), and authenticates with that identity's own
 * keys: a SAS token for {@code <host>/devices/<d>/modules/<m>} signed with one of them, or the key itself. The device's
 * key opens no other module.
 */
@Component(service = IdentityCheck.class, configurationPid = "org.outpost.hub")
public final class IdentityCheck implements IdentityAuthenticator {

    /** Of the hub-wide configuration ({@code org.outpost.hub}), what the check needs. */
    public @interface Config {
        /** The longest a SAS token may still be valid when it is presented (a year: what a gateway may make). */
        int max_token_lifetime_hours() default 8760;
    }

    private final DeviceStore devices;
    private final ModuleStore modules;
    private final Duration maxTokenLifetime;
    private final Supplier<Instant> clock;

    @Activate
    public IdentityCheck(@Reference DeviceStore devices, @Reference ModuleStore modules, Config config) {
        this(devices, modules, Duration.ofHours(Math.max(1, config.max_token_lifetime_hours())), Instant::now);
    }

    IdentityCheck(DeviceStore devices, ModuleStore modules, Duration maxTokenLifetime, Supplier<Instant> clock) {
        this.devices = devices;
        this.modules = modules;
        this.maxTokenLifetime = maxTokenLifetime;
        this.clock = clock;
    }

    /**
     * @param claimed a device or a module identity
     * @param credentials what it presented; its host name is the one SAS tokens name, or null to accept any host
     *            (a client that did not name the hub)
     */
    @Override
    public Authentication authenticate(Identity claimed, Credentials credentials) {
        String device = claimed.deviceId();
        if (!devices.exists(device)) {
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
        } else if (claimed.kind() == Identity.Kind.DEVICE || claimed.kind() == Identity.Kind.MODULE) {
            why = device(claimed, credentials);
        } else {
            why = Optional.of("a " + claimed.kind() + " identity does not connect to the hub");
        }
        if (why.isPresent()) {
            return Authentication.refused(why.get());
        }
        devices.seen(device);
        return Authentication.accepted(claimed);
    }

    /**
     * @return whether the identity authenticates with the device's own credentials (the device, its {@code $edgeAgent}
     *         and {@code $edgeHub}), whose connections a change of the device's keys or thumbprints closes
     */
    static boolean usesDeviceCredentials(Identity identity, String deviceId) {
        return identity.deviceId().equals(deviceId) && (identity.kind() == Identity.Kind.DEVICE || identity.kind()
                == Identity.Kind.MODULE && ModuleStore.SYSTEM_MODULES.contains(identity.moduleId()));
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
        return sasToken(claimed, credentials, keys.primaryKey(), keys.secondaryKey());
    }

    private Optional<String> device(Identity claimed, Credentials credentials) {
        String device = claimed.deviceId();
        if (credentials.password().isEmpty()) {
            return certificate(device, credentials);
        }
        if (!credentials.hasSasToken()) {
            return devices.verify(device, credentials.password().get()) ? Optional.empty()
                    : Optional.of("wrong device key");
        }
        String key = devices.key(device).orElse(null);
        String secondary = devices.secondaryKey(device).orElse(null);
        if (key == null && secondary == null) {
            return Optional.of("the device's key predates SAS support on this hub: rotate it (hub:device-create"
                    + " --rotate)");
        }
        return sasToken(claimed, credentials, key, secondary);
    }

    private Optional<String> sasToken(Identity claimed, Credentials credentials, String key, String secondary) {
        SasToken token;
        try {
            token = credentials.sasToken();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        Instant now = clock.get();
        if (token.expiry().isAfter(now.plus(maxTokenLifetime))) {
            return Optional.of("SAS token expires at " + token.expiry() + ", more than max.token.lifetime.hours ("
                    + maxTokenLifetime.toHours() + ") from now: make tokens that expire sooner");
        }
        String resource = credentials.hostName() == null
                ? claimed.sasResource("").substring(1) // devices/<d>[/modules/<m>] under any host
                : claimed.sasResource(credentials.hostName());
        return Credentials.checkSasToken(token, resource, key, secondary, now);
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
        String primary = devices.thumbprint(device).orElse(null);
        String secondary = devices.secondaryThumbprint(device).orElse(null);
        if (primary == null && secondary == null) {
            return Optional.of("a client certificate, but the device has no thumbprint registered (hub:device-create"
                    + " --thumbprint)");
        }
        if (matches(credentials, primary) || matches(credentials, secondary)) {
            return Optional.empty();
        }
        if (isSha1(primary) || isSha1(secondary)) {
            return Optional.of("the device is registered with a SHA-1 thumbprint, which the hub no longer accepts:"
                    + " register the certificate's SHA-256 one (hub:device-create --rotate --thumbprint)");
        }
        return Optional.of("the client certificate's thumbprint is not the device's");
    }

    /** Only SHA-256 thumbprints count: a SHA-1 one (40 hex digits) could be matched by a forged certificate. */
    private static boolean matches(Credentials credentials, String thumbprint) {
        return thumbprint != null && thumbprint.length() == 64 && credentials.certificateMatches(thumbprint);
    }

    private static boolean isSha1(String thumbprint) {
        return thumbprint != null && thumbprint.length() == 40;
    }
}
