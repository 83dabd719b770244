/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.hub.api.CloudToDevice;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.ReportedModule;

/** {@code hub:c2d}: sends a cloud-to-device message, delivered now or when the device next connects. */
@Service
@Command(scope = "hub", name = "c2d", description = "Sends a cloud-to-device message to a device: delivered at once"
        + " if it is connected and subscribed, else kept until it is (up to c2d.ttl.hours).")
public class C2dCommand implements Action {

    @Reference
    private CloudToDevice c2d;

    @Reference
    private Fleet fleet;

    @Option(name = "--property", aliases = "-p", multiValued = true, description = "A property key=value (repeat)")
    private List<String> properties;

    @Option(name = "--module", aliases = "-m", description = "Deliver to this module's input on the gateway (beyond"
            + " IoT Hub; with --input)")
    private String module;

    @Option(name = "--input", aliases = "-i", description = "The module input (with --module)")
    private String input;

    @Argument(index = 0, name = "device", required = true, description = "The device id (see hub:devices)")
    private String device;

    @Argument(index = 1, name = "body", required = true, description = "The message body (text)")
    private String body;

    @Override
    public Object execute() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        if (properties != null) {
            for (String p : properties) {
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    throw new CommandException("Property '" + p + "' is not key=value");
                }
                props.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        if ((module == null) != (input == null)) {
            throw new CommandException("Give both --module and --input, or neither");
        }
        if (module != null) {
            List<String> known = fleet.modules(device).stream().map(ReportedModule::moduleId).toList();
            // Before the gateway's first report its modules are not known here: the message waits at the gateway.
            if (!known.isEmpty() && !known.contains(module)) {
                throw new CommandException(device + " reports no module '" + module + "' (its modules: "
                        + String.join(", ", known) + "); nothing was sent. See hub:device " + device);
            }
            props.put("$.to", "/devices/" + device + "/modules/" + module + "/inputs/" + input);
        }
        try {
            String id = c2d.send(device, body.getBytes(StandardCharsets.UTF_8), props);
            System.out.println("Message " + id + " queued for " + device + " (" + c2d.pending(device)
                    + " waiting)");
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
