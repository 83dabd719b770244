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
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.BrokerAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials of the modules that connect to the gateway's broker over the network, and what each may do there: a
 * module publishes only to its own telemetry topics ({@code devices/<device>/modules/<module>/messages/events/...})
 * and subscribes only to its own inputs ({@code devices/<device>/modules/<module>/inputs/...}).
 * <p>
 * User names are the module id, or the IoT Hub form {@code <host>/<device>/<module>[/?api-version=...]} that Azure IoT
 * SDK module clients send.
 */
@Component(service = {ModuleAccess.class, BrokerAuthenticator.class, ModuleAccessControl.class})
public final class ModuleAccessControl implements ModuleAccess, BrokerAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleAccessControl.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Optional<String>> mqttUrl;
    private final Supplier<String> deviceId;
    private final Map<String, byte[]> passwords = new ConcurrentHashMap<>();

    @Activate
    public ModuleAccessControl(@Reference Broker broker, @Reference Ingress ingress) {
        this(() -> broker.acceptorUrl("MQTT"), ingress::deviceId);
    }

    ModuleAccessControl(Supplier<Optional<String>> mqttUrl, Supplier<String> deviceId) {
        this.mqttUrl = mqttUrl;
        this.deviceId = deviceId;
    }

    @Override
    public Map<String, String> grant(String module) {
        ModuleNames.require("module id", module);
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        passwords.put(module, password.getBytes(StandardCharsets.UTF_8));
        String device = deviceId.get();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MODULE_ID, module);
        env.put(DEVICE_ID, device);
        env.put("IOTEDGE_MODULEID", module);
        env.put("IOTEDGE_DEVICEID", device);
        Optional<String> url = mqttUrl.get();
        if (url.isPresent()) {
            URI uri = URI.create(url.get());
            env.put(MQTT_URL, url.get());
            env.put(MQTT_HOST, uri.getHost());
            env.put(MQTT_PORT, Integer.toString(uri.getPort()));
            env.put("IOTEDGE_GATEWAYHOSTNAME", uri.getHost());
        } else {
            LOG.warn("Module '{}' gets no broker URL: the gateway broker has no MQTT acceptor (mqtt.port in"
                    + " etc/org.outpost.broker.cfg)", module);
        }
        env.put(MQTT_CLIENT_ID, device + "/" + module);
        env.put(MQTT_USERNAME, module);
        env.put(MQTT_PASSWORD, password);
        env.put(EVENTS_TOPIC, ModuleTopics.eventsPrefix(device, module));
        env.put(INPUTS_TOPIC, ModuleTopics.inputsPrefix(device, module));
        return env;
    }

    @Override
    public void revoke(String module) {
        passwords.remove(module);
    }

    /** @return the modules that hold credentials now */
    java.util.Set<String> granted() {
        return java.util.Set.copyOf(passwords.keySet());
    }

    @Override
    public Optional<String> authenticate(String username, String password, String remoteAddress) {
        String module = moduleOf(username, deviceId.get());
        byte[] expected = module == null ? null : passwords.get(module);
        if (expected == null || !MessageDigest.isEqual(expected, password.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(module);
    }

    @Override
    public boolean authorize(String identity, Action action, String address) {
        if (address == null || !passwords.containsKey(identity)) {
            return false;
        }
        // A fully qualified queue name is address::queue; the address decides.
        int fqqn = address.indexOf("::");
        String a = fqqn < 0 ? address : address.substring(0, fqqn);
        String device = deviceId.get();
        String inputs = ModuleTopics.inputsAddress(device, identity);
        return switch (action) {
            // A subscription creates its address, which the broker checks as a send: a module may thus also publish
            // to its own inputs, which reach nobody but itself.
            case SEND -> under(a, ModuleTopics.eventsAddress(device, identity)) || under(a, inputs);
            case CONSUME -> under(a, inputs);
            case MANAGE -> false;
        };
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
