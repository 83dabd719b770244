/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.commons.Listeners;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials of the modules that connect to the gateway's broker over the network, and what each may do there: a
 * module publishes only to its own telemetry topics ({@code devices/<device>/modules/<module>/messages/events/...})
 * and subscribes only to its own inputs ({@code devices/<device>/modules/<module>/inputs/...}).
 * <p>
 * User names are the module id, or the IoT Hub form {@code <host>/<device>/<module>[/?api-version=...]} that Azure IoT
 * SDK module clients send.
 * <p>
 * The rule is the one the gateway's IoT Hub endpoint applies: a module gets in only as itself, while it has an
 * identity ({@link ModuleIdentities}), and only with credentials of that identity as it is now: a password is issued
 * for the identity's generation and keys, and stops working when they change. When a module's identity is deleted or
 * re-keyed, or its credentials revoked, the broker closes its connections ({@link #onRevoked}). Its MQTT client id is
 * {@code <device>/<module>}, or {@code <device>/<module>/<suffix>} for a second connection (the suffix 1-64 letters,
 * digits, {@code -} or {@code _}); every other client id is another module's or the gateway's.
 */
@Component(service = {BrokerAuthenticator.class, ModuleAccessControl.class}, configurationPid = RuntimeSettings.PID)
public final class ModuleAccessControl implements BrokerAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleAccessControl.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A password issued for one generation and keys of a module's identity. */
    private record Grant(byte[] password, String generationId, byte[] keys) {
        boolean issuedFor(ModuleIdentity identity) {
            return identity.generationId().equals(generationId) && MessageDigest.isEqual(keys, keysOf(identity));
        }
    }

    private final Supplier<String> deviceId;
    private final ModuleIdentities identities;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Listeners<Consumer<String>> revocations = new Listeners<>("module broker revocations");
    private final AutoCloseable identityRevocations;
    private volatile RuntimeSettings settings;

    /*
     * No reference to the broker: the broker binds this authenticator while it starts, so a reference to it, or to
     * anything that needs it, would be circular (module identities need the runtime, which does not need this). The
     * device id comes from the runtime's configuration, the broker URL from the caller of grant (the MQTT module
     * bridge, which has the broker).
     */
    @Activate
    public ModuleAccessControl(Ingress.Config config, Map<String, Object> properties,
            @Reference ModuleIdentities identities) {
        this.settings = Ingress.settingsOrDefault(config, properties, new RuntimeSettings(config.device_id()));
        this.deviceId = () -> settings.deviceId();
        this.identities = identities;
        this.identityRevocations = identities.onRevoked(this::revoke);
    }

    ModuleAccessControl(Supplier<String> deviceId, ModuleIdentities identities) {
        this.deviceId = deviceId;
        this.identities = identities;
        this.identityRevocations = identities.onRevoked(this::revoke);
    }

    @Deactivate
    void deactivate() throws Exception {
        identityRevocations.close();
    }

    @Modified
    void modified(Ingress.Config config, Map<String, Object> properties) {
        this.settings = Ingress.settingsOrDefault(config, properties, settings);
    }

    /**
     * Issues new credentials for a module, for its identity as it is now; those issued to it before stop working.
     *
     * @param url the broker's MQTT URL, if it has an MQTT acceptor
     * @return the module's environment variables (see {@link ModuleAccess})
     * @throws IllegalArgumentException if the module id is not valid, or the module has no identity
     */
    Map<String, String> grant(String module, Optional<String> url) {
        ModuleNames.require("module id", module);
        ModuleIdentity identity = identities.identity(module).orElseThrow(() -> new IllegalArgumentException(
                "module '" + module + "' has no identity on this gateway: the deployment makes one before it starts"
                        + " the module"));
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        grants.put(module, new Grant(password.getBytes(StandardCharsets.UTF_8), identity.generationId(),
                keysOf(identity)));
        String device = deviceId.get();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ModuleAccess.MODULE_ID, module);
        env.put(ModuleAccess.DEVICE_ID, device);
        if (url.isPresent()) {
            URI uri = URI.create(url.get());
            env.put(ModuleAccess.MQTT_URL, url.get());
            env.put(ModuleAccess.MQTT_HOST, uri.getHost());
            env.put(ModuleAccess.MQTT_PORT, Integer.toString(uri.getPort()));
        } else {
            LOG.warn("Module '{}' gets no broker URL: the gateway broker has no MQTT acceptor (mqtt.port in"
                    + " etc/org.outpost.broker.cfg)", module);
        }
        env.put(ModuleAccess.MQTT_CLIENT_ID, device + "/" + module);
        env.put(ModuleAccess.MQTT_USERNAME, module);
        env.put(ModuleAccess.MQTT_PASSWORD, password);
        env.put(ModuleAccess.EVENTS_TOPIC, ModuleTopics.eventsPrefix(device, module));
        env.put(ModuleAccess.INPUTS_TOPIC, ModuleTopics.inputsPrefix(device, module));
        return env;
    }

    /** Withdraws a module's credentials, and has the broker close its connections. */
    void revoke(String module) {
        grants.remove(module);
        revocations.fire(r -> r.accept(module));
    }

    /** @return the modules that hold credentials now */
    java.util.Set<String> granted() {
        return java.util.Set.copyOf(grants.keySet());
    }

    @Override
    public Optional<String> authenticate(String username, String password, String remoteAddress) {
        String module = moduleOf(username, deviceId.get());
        Grant grant = module == null ? null : grants.get(module);
        if (grant == null || !MessageDigest.isEqual(grant.password(), password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        Optional<ModuleIdentity> identity = identities.identity(module);
        if (identity.isEmpty() || !grant.issuedFor(identity.get())) {
            LOG.warn("Refused module '{}' from {}: its password was issued for an identity it no longer has (deleted"
                    + " or re-keyed); it gets a new one when the deployment starts it again", module, remoteAddress);
            return Optional.empty();
        }
        return Optional.of(module);
    }

    @Override
    public boolean mayUseClientId(String identity, String clientId) {
        String own = deviceId.get() + "/" + identity;
        return clientId.equals(own) || clientId.startsWith(own + "/") && ModuleNames.isValid(clientId.substring(
                own.length() + 1));
    }

    @Override
    public AutoCloseable onRevoked(Consumer<String> revoked) {
        return revocations.subscribe(revoked);
    }

    @Override
    public boolean authorize(String identity, Action action, String address) {
        if (address == null || !grants.containsKey(identity)) {
            return false;
        }
        // A fully qualified queue name is address::queue; the address decides.
        int fqqn = address.indexOf("::");
        String a = fqqn < 0 ? address : address.substring(0, fqqn);
        String device = deviceId.get();
        String inputs = ModuleTopics.address(ModuleTopics.inputsPrefix(device, identity));
        return switch (action) {
            // A subscription creates its address, which the broker checks as a send: a module may thus also publish
            // to its own inputs, which reach nobody but itself.
            case SEND -> under(a, ModuleTopics.address(ModuleTopics.eventsPrefix(device, identity))) || under(a, inputs);
            case CONSUME -> under(a, inputs);
            case MANAGE -> false;
        };
    }

    /** @return a digest of the identity's keys, so that a grant holds no copy of them */
    private static byte[] keysOf(ModuleIdentity identity) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((identity.primaryKey() + "/" + identity.secondaryKey())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    private static boolean under(String address, String prefix) {
        return address.equals(prefix) || address.startsWith(prefix + ".");
    }

    /**
     * @return the module a user name names on this device: {@code module}, or {@code host/device/module[/...]}; null
     *         if it names another device or no valid module
     */
    static String moduleOf(String username, String device) {
        if (username == null) {
            return null;
        }
        String[] parts = username.split("/", -1);
        String module;
        if (parts.length == 1) {
            module = parts[0];
        } else if (parts.length >= 3 && parts[1].equals(device)) {
            module = parts[2];
        } else {
            return null;
        }
        return ModuleNames.isValid(module) ? module : null;
    }
}
