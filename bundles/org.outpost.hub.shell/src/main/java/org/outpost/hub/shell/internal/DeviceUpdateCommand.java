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
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;

/** {@code hub:device-update}: moves a device below another parent gateway, or takes its parent away. */
@Service
@Command(scope = "hub", name = "device-update", description = "Changes a registered device: --parent <gateway> moves"
        + " it below that gateway (which then authenticates it, relays for it and may send its telemetry),"
        + " --no-parent takes its parent away. The gateways above it, before and after, hear of it at once.")
public class DeviceUpdateCommand implements Action {

    @Reference
    private DeviceRegistry registry;

    @Argument(index = 0, name = "id", required = true, description = "Device id")
    private String id;

    @Option(name = "--parent", description = "The gateway to move the device below (at most "
            + DeviceRegistry.MAX_DEPTH + " levels deep; no cycles)")
    private String parent;

    @Option(name = "--no-parent", description = "Take the device's parent away")
    private boolean noParent;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        if (parent != null && noParent) {
            throw new CommandException("give --parent <gateway> or --no-parent, not both");
        }
        if (parent == null && !noParent) {
            throw new CommandException("nothing to change: give --parent <gateway> or --no-parent");
        }
        registry.setParent(id, parent);
        Device d = registry.device(id).orElseThrow(() -> new CommandException("device '" + id + "' was deleted"
                + " meanwhile"));
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("deviceId", d.id());
            out.put("parentId", d.parentId());
            System.out.println(Json.write(out));
        } else {
            System.out.println(d.parentId() == null ? "Device '" + id + "' has no parent now."
                    : "Device '" + id + "' is below '" + d.parentId() + "' now.");
        }
        return null;
    }
}
