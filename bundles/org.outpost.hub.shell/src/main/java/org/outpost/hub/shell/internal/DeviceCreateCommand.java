/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.Json;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;

/** {@code hub:device-create}: registers a device and prints its key, once. */
@Service
@Command(scope = "hub", name = "device-create", description = "Registers a device and prints its key. Put the id and"
        + " key in the gateway's etc/org.outpost.upstream.cfg (username, password), or make SAS tokens with it.")
public class DeviceCreateCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "id", required = true, description = "Device id: letters, digits, '-', '_'")
    private String id;

    @Option(name = "--rotate", description = "Give an existing device a new primary key (the old one stops working;"
            + " the secondary key keeps working)")
    private boolean rotate;

    @Option(name = "--secondary", description = "With --rotate: give it a new secondary key instead. To rotate without"
            + " downtime: --rotate --secondary, move the device to that key, then --rotate")
    private boolean secondary;

    @Option(name = "--tags", description = "Tags for a new device, a JSON object, e.g. '{\"site\": \"plant-1\"}'"
            + " (target conditions of deployments read them)")
    private String tags;

    @Option(name = "--thumbprint", description = "Also let the device authenticate with this X.509 certificate (its"
            + " SHA-256 fingerprint, hex; SHA-1 is not accepted)")
    private String thumbprint;

    @Option(name = "--secondary-thumbprint", description = "Also let the device authenticate with this second X.509"
            + " certificate (SHA-256 fingerprint, hex): to replace a certificate without downtime")
    private String secondaryThumbprint;

    @Option(name = "--parent", description = "Register the device below this gateway (a leaf device or a child"
            + " gateway that connects through it); move it later with hub:device-update --parent")
    private String parent;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        if (secondary && !rotate) {
            throw new CommandException("--secondary goes with --rotate (a new device gets a primary key)");
        }
        if (rotate && tags != null) {
            throw new CommandException("--tags is for a new device; change tags with hub:tags " + id
                    + " '<json patch>'");
        }
        if (rotate && parent != null) {
            throw new CommandException("--parent is for a new device; move an existing one with hub:device-update"
                    + " --parent " + parent + " " + id);
        }
        if (rotate && thumbprint != null) {
            registry.setThumbprint(id, thumbprint);
        }
        if (rotate && secondaryThumbprint != null) {
            registry.setSecondaryThumbprint(id, secondaryThumbprint);
        }
        String key = rotate ? registry.rotateKey(id, secondary) : registry.create(id, parent);
        if (!rotate) {
            try {
                if (thumbprint != null) {
                    registry.setThumbprint(id, thumbprint);
                }
                if (secondaryThumbprint != null) {
                    registry.setSecondaryThumbprint(id, secondaryThumbprint);
                }
                if (tags != null) {
                    twins.patchTags(id, tags);
                }
            } catch (RuntimeException e) {
                // Nothing half-made: the device goes again.
                registry.delete(id);
                throw e;
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("deviceId", id);
            out.put("key", key);
            if (!rotate) {
                out.put("parentId", parent);
            }
            System.out.println(Json.write(out));
        } else {
            System.out.println("Device '" + id + "' " + (rotate ? "has a new " + (secondary ? "secondary" : "primary")
                    + " key" : "registered" + (parent == null ? "" : " below '" + parent + "'")) + ". Its key (shown"
                    + " once):");
            System.out.println(key);
        }
        return null;
    }
}
