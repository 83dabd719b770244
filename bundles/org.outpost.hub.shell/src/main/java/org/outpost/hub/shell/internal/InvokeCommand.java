/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.outpost.commons.Json;
import org.outpost.hub.api.Methods;

/** {@code hub:invoke}: calls a direct method on a connected device or module and prints its answer. */
@Service
@Command(scope = "hub", name = "invoke", description = "Calls a direct method on a connected device (or one of its"
        + " modules) and prints the status and payload it answers: 404 if it is not connected, 504 if it does not"
        + " answer in time.")
public class InvokeCommand implements Action {

    @Reference
    private Methods methods;

    @Option(name = "--module", aliases = "-m", description = "Call this module of the device")
    private String module;

    @Option(name = "--timeout", aliases = "-t", description = "Seconds to wait for the answer, 5 to 300 (default 30)")
    private int timeoutSeconds = 30;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Argument(index = 0, name = "device", required = true, description = "The device id (see hub:devices)")
    private String device;

    @Argument(index = 1, name = "method", required = true, description = "The method name")
    private String method;

    @Argument(index = 2, name = "payload", description = "The JSON payload (quote it: '{\"delay\": 5}')")
    private String payload;

    @Override
    public Object execute() throws Exception {
        Methods.Result r;
        try {
            r = methods.invoke(device, module, method, payload, Duration.ofSeconds(timeoutSeconds))
                    .toCompletableFuture().get(timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        Object body;
        try {
            body = Json.read(r.payload());
        } catch (IllegalStateException e) {
            // A device may answer with something that is not JSON: shown as it came.
            body = r.payload();
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", r.status());
            out.put("payload", body);
            System.out.println(Json.write(out));
        } else {
            System.out.println("Status: " + r.status());
            System.out.println(body instanceof String text ? text : Json.write(body));
        }
        return null;
    }
}
