/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.outpost.commons.Json;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinDocument;

/** {@code hub:twin}: shows a device's or a module's twin. */
@Service
@Command(scope = "hub", name = "twin", description = "Shows the twin of a device, or of one of its modules: desired"
        + " and reported properties with their versions (IoT Hub's JSON).")
public class TwinCommand implements Action {

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "device", required = true, description = "The device id (see hub:devices)")
    private String device;

    @Argument(index = 1, name = "module", description = "A module id ($edgeAgent, $edgeHub, or a module); none for"
            + " the device's own twin")
    private String module;

    @Override
    public Object execute() {
        TwinDocument t = twins.twin(device, module);
        System.out.println(Json.write(Json.read(t.toJson())));
        return null;
    }
}
