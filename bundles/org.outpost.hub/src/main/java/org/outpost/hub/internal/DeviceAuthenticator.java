/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.broker.api.BrokerAuthenticator;

/**
 * Lets registered devices into the hub's broker. The user name is the device id (or IoT Hub's
 * {@code <host>/<deviceId>/?api-version=...} form), the password the device key. A device may publish and subscribe
 * only under its own {@code devices/<id>/} topics. A module that names itself in the user name
 * ({@code <host>/<deviceId>/<moduleId>/?api-version=...}) gives its module identity's key ({@link ModuleStore}), and
 * may use only its own {@code devices/<id>/modules/<moduleId>/} topics; {@code $edgeAgent} and {@code $edgeHub} give
 * the device's key and are the device. The hub's own ingestion client uses a token made at start.
 */
@Component(service = {BrokerAuthenticator.class, DeviceAuthenticator.class})
public final class DeviceAuthenticator implements BrokerAuthenticator {

    static final String INTERNAL_USER = "$outpost-hub";

    private final DeviceStore devices;
    private final ModuleStore modules;
    private final String internalToken;

    @Activate
    public DeviceAuthenticator(@Reference DeviceStore devices, @Reference ModuleStore modules) {
        this.devices = devices;
        this.modules = modules;
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        this.internalToken = Base64.getEncoder().encodeToString(token);
    }

    /** @return the token of the hub's own broker client */
    String internalToken() {
        return internalToken;
    }

    @Override
    public Optional<String> authenticate(String username, String password, String remoteAddress) {
        if (INTERNAL_USER.equals(username)) {
            return internalToken.equals(password) ? Optional.of(INTERNAL_USER) : Optional.empty();
        }
        String device = deviceId(username);
        String module = moduleId(username);
        if (module != null && !ModuleStore.SYSTEM_MODULES.contains(module)) {
            return modules.verify(device, module, password) ? Optional.of(device + "/" + module) : Optional.empty();
        }
        return devices.verify(device, password) ? Optional.of(device) : Optional.empty();
    }

    @Override
    public boolean authorize(String identity, Action action, String address) {
        if (INTERNAL_USER.equals(identity)) {
            return true;
        }
        // MQTT topic devices/<id>/... is broker address devices.<id>....; a module's identity is <id>/<module>.
        String prefix = "devices." + identity.replace("/", ".modules.") + ".";
        return action != Action.MANAGE && address != null && address.startsWith(prefix);
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
