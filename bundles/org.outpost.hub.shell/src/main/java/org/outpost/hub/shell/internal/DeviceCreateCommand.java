/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.hub.api.DeviceRegistry;

/** {@code hub:device-create}: registers a device and prints its key, once. */
@Service
@Command(scope = "hub", name = "device-create", description = "Registers a device and prints its key. Put the id and"
        + " key in the gateway's etc/org.outpost.upstream.cfg (username, password), or make SAS tokens with it.")
public class DeviceCreateCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Argument(index = 0, name = "id", required = true, description = "Device id: letters, digits, '-', '_'")
    private String id;

    @Option(name = "--rotate", description = "Give an existing device a new key (the old one stops working)")
    private boolean rotate;

    @Option(name = "--thumbprint", description = "Also let the device authenticate with this X.509 certificate (its"
            + " SHA-256 or SHA-1 fingerprint, hex)")
    private String thumbprint;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() {
        if (rotate && thumbprint != null) {
            registry.setThumbprint(id, thumbprint);
        }
        String key = rotate ? registry.rotateKey(id) : registry.create(id);
        if (!rotate && thumbprint != null) {
            try {
                registry.setThumbprint(id, thumbprint);
            } catch (IllegalArgumentException e) {
                // Nothing half-made: the device goes again.
                registry.delete(id);
                throw e;
            }
        }
        if (json) {
            System.out.println(Json.write(Map.of("deviceId", id, "key", key)));
        } else {
            System.out.println("Device '" + id + "' " + (rotate ? "has a new key" : "registered") + ". Its key (shown"
                    + " once):");
            System.out.println(key);
        }
        return null;
    }
}
