/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>
 * <b>On behalf of a gateway</b> (docs/gateways.md): an identity {@code C} or {@code C/m} whose SAS token is a
 * device-level token of another device {@code G} ({@code <host>/devices/G}), or whose TLS client certificate has the
 * thumbprint of one of {@code C}'s ancestors {@code G}, is let in as itself iff {@code G} is registered and enabled,
 * the token is valid for {@code G}'s keys, {@code C} is below {@code G} (a child, grandchild, ...) and enabled, and
 * {@code m} is {@code $edgeAgent}, {@code $edgeHub} or has a module identity at the hub. The tree is read afresh.
 */
@Component(service = IdentityCheck.class, configurationPid = "org.outpost.hub")
public final class IdentityCheck implements IdentityAuthenticator {

    /** Of the hub-wide configuration ({@code org.outpost.hub}), what the check needs. */
    public @interface Config {
        /** The longest a SAS token may still be valid when it is presented (a year: what a gateway may make). */
        int max_token_lifetime_hours() default 8760;
    }

    private static final Logger LOG = LoggerFactory.getLogger(IdentityCheck.class);

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
        Optional<String> gateway = tokenOfAnother(claimed, credentials);
        if (gateway.isPresent() && (claimed.kind() == Identity.Kind.DEVICE || claimed.kind() == Identity.Kind.MODULE)
                && devices.exists(gateway.get())) {
            return onBehalf(claimed, credentials, gateway.get());
        }
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
            if (credentials.password().isEmpty() && credentials.certificate().isPresent()) {
                return certificateOfAncestor(claimed, credentials).map(Authentication::refused).orElseGet(() -> {
                    devices.seen(device);
                    return Authentication.accepted(claimed);
                });
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
            Optional<String> own = certificate(device, credentials);
            if (own.isEmpty() || credentials.certificate().isEmpty() || credentials.certificateValidity().isPresent()
                    || devices.ancestors(device).isEmpty()) {
                return own;
            }
            // Not the device's own certificate: it may be a gateway's above it, connecting it on its behalf.
            Optional<String> ancestor = certificateOfAncestor(claimed, credentials);
            return ancestor.isEmpty() ? ancestor : Optional.of(own.get() + "; " + ancestor.get());
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

    /**
     * @return the device whose device-level SAS token the identity presented, if it is another device's: a request to
     *         connect the identity on that device's behalf (a token of an unknown device is refused as a wrong one)
     */
    private static Optional<String> tokenOfAnother(Identity claimed, Credentials credentials) {
        if (!credentials.hasSasToken()) {
            return Optional.empty();
        }
        try {
            return credentials.sasToken().device().filter(g -> !g.equals(claimed.deviceId()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // The normal check says what is wrong with it.
        }
    }

    /** Checks a request to connect {@code claimed} on behalf of gateway {@code gateway}, whose SAS token it gave. */
    private Authentication onBehalf(Identity claimed, Credentials credentials, String gateway) {
        String device = claimed.deviceId();
        String as = claimed + " on behalf of " + gateway + ": ";
        if (!devices.enabled(gateway)) {
            return Authentication.refused(as + "gateway '" + gateway + "' is disabled, so it acts for no device"
                    + " (hub:device-enable " + gateway + ")");
        }
        String key = devices.key(gateway).orElse(null);
        String secondary = devices.secondaryKey(gateway).orElse(null);
        Optional<String> why = sasToken(Identity.device(gateway), credentials, key, secondary);
        if (why.isPresent()) {
            return Authentication.refused(as + why.get());
        }
        Optional<String> refused = descendant(claimed, gateway);
        if (refused.isPresent()) {
            return Authentication.refused(as + refused.get());
        }
        devices.seen(device);
        LOG.info("{} authenticated on behalf of gateway {}", claimed, gateway);
        return Authentication.accepted(claimed);
    }

    /** @return why {@code claimed} may not be connected by {@code gateway}, or empty if it may */
    private Optional<String> descendant(Identity claimed, String gateway) {
        String device = claimed.deviceId();
        if (!devices.exists(device)) {
            return Optional.of("no device '" + device + "' is registered");
        }
        List<String> ancestors = devices.ancestors(device);
        if (!ancestors.contains(gateway)) {
            return Optional.of("device '" + device + "' is not below gateway '" + gateway + "' ("
                    + (ancestors.isEmpty() ? "it has no parent" : "its ancestors: " + String.join(", ", ancestors))
                    + "): a gateway acts only for the devices below it (hub:device-update --parent " + gateway + " "
                    + device + ")");
        }
        if (!devices.enabled(device)) {
            return Optional.of("device '" + device + "' is disabled (hub:device-enable " + device + ")");
        }
        if (claimed.kind() == Identity.Kind.MODULE && !ModuleStore.SYSTEM_MODULES.contains(claimed.moduleId())
                && modules.keys(device, claimed.moduleId()).isEmpty()) {
            return Optional.of("no module identity '" + claimed.id() + "' at the hub (its gateway registers it)");
        }
        return Optional.empty();
    }

    /**
     * @return why the client certificate is not that of an enabled gateway above {@code claimed}'s device, or empty
     *         if it is (the identity is connected on that gateway's behalf)
     */
    private Optional<String> certificateOfAncestor(Identity claimed, Credentials credentials) {
        Optional<String> invalid = credentials.certificateValidity();
        if (invalid.isPresent()) {
            return invalid;
        }
        for (String gateway : devices.ancestors(claimed.deviceId())) {
            if (matches(credentials, devices.thumbprint(gateway).orElse(null))
                    || matches(credentials, devices.secondaryThumbprint(gateway).orElse(null))) {
                if (!devices.enabled(gateway)) {
                    return Optional.of(claimed + " on behalf of " + gateway + ": gateway '" + gateway + "' is"
                            + " disabled, so it acts for no device");
                }
                Optional<String> refused = descendant(claimed, gateway);
                if (refused.isEmpty()) {
                    LOG.info("{} authenticated on behalf of gateway {} (its X.509 certificate)", claimed, gateway);
                }
                return refused.map(r -> claimed + " on behalf of " + gateway + ": " + r);
            }
        }
        return Optional.of("the client certificate's thumbprint is neither " + claimed.id() + "'s nor a gateway's"
                + " above it");
    }

    /** Only SHA-256 thumbprints count: a SHA-1 one (40 hex digits) could be matched by a forged certificate. */
    private static boolean matches(Credentials credentials, String thumbprint) {
        return thumbprint != null && thumbprint.length() == 64 && credentials.certificateMatches(thumbprint);
    }

    private static boolean isSha1(String thumbprint) {
        return thumbprint != null && thumbprint.length() == 40;
    }
}
