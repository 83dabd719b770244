/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets registered devices into the hub's broker (its MQTT port, 1884). The user name is the device id (or IoT Hub's
 * {@code <host>/<deviceId>/?api-version=...} form), the password the device key or a SAS token, checked by the hub's
 * one credential check ({@link IdentityCheck}: a disabled, deleted or re-keyed device is refused at once). A device
 * may publish and subscribe only under its own {@code devices/<id>/} topics. A module that names itself in the user
 * name ({@code <host>/<deviceId>/<moduleId>/?api-version=...}) gives its module identity's key ({@link ModuleStore}),
 * and may use only its own {@code devices/<id>/modules/<moduleId>/} topics; {@code $edgeAgent} and {@code $edgeHub}
 * give the device's key and are the device. A gateway (a device connected as itself) may also publish under
 * {@code devices/<D>/} for every device {@code D} below it, and its modules' {@code devices/<D>/modules/<m>/}: its
 * upstream drain forwards its children's telemetry, which the hub ingests as theirs. Whether {@code D} is below it is
 * read from {@link DeviceStore#isBelowCached}, not from the database per message; the cache is forgotten at every
 * change of the tree (through any hub node).
 *
 * <p>
 * The MQTT client id is bound to the identity, as on the IoT Hub endpoint: it must be {@code <deviceId>} (or
 * {@code <deviceId>/<moduleId>} for a module), so that a device can neither take over another's session (MQTT lets a
 * second connection with a client id close the first) nor the hub's own clients' ({@value #RESERVED_PREFIX}*, which
 * only the hub's own ingestion client uses, with a token made at start). Clients of other protocols (core, AMQP) are
 * not let in: devices speak MQTT.
 */
@Component(service = {BrokerAuthenticator.class, DeviceAuthenticator.class})
public final class DeviceAuthenticator implements BrokerAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthenticator.class);

    static final String INTERNAL_USER = "$outpost-hub";
    /** The client ids of the hub's own clients at its broker; no device may use one. */
    static final String RESERVED_PREFIX = "outpost-hub-";

    private final IdentityCheck check;
    private final DeviceStore devices;
    private final String internalToken;

    @Activate
    public DeviceAuthenticator(@Reference IdentityCheck check, @Reference DeviceStore devices) {
        this.check = check;
        this.devices = devices;
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        this.internalToken = Base64.getEncoder().encodeToString(token);
    }

    /**
     * User names of the built-in routing endpoint's consumer groups at the hub's broker: {@code $events/<group>}, with
     * the group's token as password (message routing checks it).
     */
    public static final String EVENTS_USER_PREFIX = "$events/";
    /**
     * A consumer group's client ids start with {@code events-<group>-}, so that a backend cannot take over (MQTT
     * client id takeover) a device's session; a client id that is a registered device's id is refused too.
     */
    public static final String EVENTS_CLIENT_PREFIX = "events-";
    /** The built-in endpoint's address: a consumer group may only read its own queue there. */
    public static final String EVENTS_ADDRESS = "outpost.events";

    private volatile java.util.function.BiPredicate<String, String> groupTokens = (group, token) -> false;

    /** @param check whether a token is a consumer group's (set by message routing) */
    public void consumerGroupTokens(java.util.function.BiPredicate<String, String> check) {
        this.groupTokens = check;
    }

    /** @return the user name of the hub's own broker clients */
    public static String internalUser() {
        return INTERNAL_USER;
    }

    /** @return the token of the hub's own broker client */
    public String internalToken() {
        return internalToken;
    }

    @Override
    public Optional<String> authenticate(String username, String password, String remoteAddress) {
        return authenticate(username, password, null, remoteAddress);
    }

    @Override
    public Optional<String> authenticate(String username, String password, String clientId, String remoteAddress) {
        if (INTERNAL_USER.equals(username)) {
            boolean ok = MessageDigest.isEqual(internalToken.getBytes(StandardCharsets.UTF_8), password.getBytes(
                    StandardCharsets.UTF_8)) && (clientId == null || clientId.startsWith(RESERVED_PREFIX));
            return ok ? Optional.of(INTERNAL_USER) : Optional.empty();
        }
        if (username != null && username.startsWith(EVENTS_USER_PREFIX)) {
            String group = username.substring(EVENTS_USER_PREFIX.length());
            if (clientId == null || !clientId.startsWith(EVENTS_CLIENT_PREFIX + group + "-")
                    || devices.device(clientId).isPresent()) {
                LOG.warn("Refused consumer group '{}' from {} at the hub's broker: its client id must start with"
                        + " '{}{}-' (and not be a device's id), not '{}'", group, remoteAddress, EVENTS_CLIENT_PREFIX,
                        group, clientId);
                return Optional.empty();
            }
            boolean ok = password != null && groupTokens.test(group, password);
            if (!ok) {
                LOG.warn("Refused consumer group '{}' from {} at the hub's broker: unknown group or wrong token",
                        group, remoteAddress);
            }
            return ok ? Optional.of(username) : Optional.empty();
        }
        Optional<String> refused = refusal(username, clientId);
        if (refused.isPresent()) {
            LOG.warn("Refused '{}' from {} at the hub's broker: {}", username, remoteAddress, refused.get());
            return Optional.empty();
        }
        Identity claimed = claimed(username);
        Authentication result = check.authenticate(claimed, new Credentials(hostName(username), password, null));
        if (result instanceof Authentication.Refused r) {
            LOG.warn("Refused {} from {} at the hub's broker: {}", claimed, remoteAddress, r.reason());
            return Optional.empty();
        }
        // The gateway's system modules act as their device; any other module is itself.
        return Optional.of(claimed.kind() == Identity.Kind.MODULE && !ModuleStore.SYSTEM_MODULES.contains(claimed
                .moduleId()) ? claimed.id() : claimed.deviceId());
    }

    /** @return why the user name or the client id cannot be let in, before any credential is looked at */
    static Optional<String> refusal(String username, String clientId) {
        if (clientId == null) {
            return Optional.of("only MQTT clients are let in (devices speak MQTT)");
        }
        if (clientId.startsWith(RESERVED_PREFIX)) {
            return Optional.of("client id '" + clientId + "' is reserved for the hub's own clients");
        }
        Identity claimed;
        try {
            claimed = claimed(username);
        } catch (IllegalArgumentException e) {
            return Optional.of("user name is not <deviceId> or <host>/<deviceId>[/<moduleId>]/?...: " + e.getMessage());
        }
        if (!clientId.equals(claimed.id())) {
            return Optional.of("client id '" + clientId + "' is not " + claimed.id() + ": a device connects with its"
                    + " id as client id (a module with <deviceId>/<moduleId>)");
        }
        return Optional.empty();
    }

    /** @return the identity a user name names: the device, or its module */
    static Identity claimed(String username) {
        return Identity.of(deviceId(username), moduleId(username));
    }

    /** @return the host a user name {@code host/id/...} names, or null (any host) for a bare device id */
    private static String hostName(String username) {
        String[] parts = username.split("/");
        return parts.length >= 2 && !parts[0].isEmpty() ? parts[0] : null;
    }

    @Override
    public boolean authorize(String identity, Action action, String address) {
        if (INTERNAL_USER.equals(identity)) {
            return true;
        }
        if (action == Action.MANAGE || address == null) {
            return false;
        }
        if (identity.startsWith(EVENTS_USER_PREFIX)) {
            // Its shared subscription ($share/<group>/outpost/events) is the queue <group>.outpost.events.
            String queue = identity.substring(EVENTS_USER_PREFIX.length()) + "." + EVENTS_ADDRESS;
            return action == Action.CONSUME && (address.equals(EVENTS_ADDRESS) || address.equals(queue)
                    || address.equals(EVENTS_ADDRESS + "::" + queue));
        }
        // MQTT topic devices/<id>/... is broker address devices.<id>....; a module's identity is <id>/<module>.
        String prefix = "devices." + identity.replace("/", ".modules.") + ".";
        if (address.startsWith(prefix)) {
            return true;
        }
        return action == Action.SEND && !identity.contains("/") && below(address, identity);
    }

    /** @return whether the address is under {@code devices.<D>.} for a device D below {@code gateway} */
    private boolean below(String address, String gateway) {
        if (!address.startsWith("devices.")) {
            return false;
        }
        int end = address.indexOf('.', "devices.".length());
        if (end <= "devices.".length()) {
            return false;
        }
        return devices.isBelowCached(address.substring("devices.".length(), end), gateway);
    }

    /** @return the device id in a user name: {@code id}, or {@code host/id/...} as IoT Hub clients send it */
    static String deviceId(String username) {
        String[] parts = username.split("/");
        return parts.length >= 2 ? parts[1] : username;
    }

    /** @return the module a user name {@code host/id/module/...} names, or null if it names none */
    static String moduleId(String username) {
        String[] parts = username.split("/");
        return parts.length >= 3 && !parts[2].isEmpty() && !parts[2].startsWith("?") ? parts[2] : null;
    }
}
