/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.outpost.commons.Json;
import org.outpost.commons.ShellFiles;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.HubDeployment;

/** {@code hub:deployment-check}: which devices a deployment object targets, and what each identity would get. */
@Service
@Command(scope = "hub", name = "deployment-check", description = "Checks a deployment object (IoT Hub's shape: id,"
        + " priority, targetCondition, labels, layered, content.modulesContent) and lists the registered devices it"
        + " targets and the twins it sets, without changing anything.")
public class DeploymentCheckCommand implements Action {

    @Reference
    private Session session;

    @Reference
    private DeviceRegistry devices;

    @Reference
    private Twins twins;

    @Argument(index = 0, name = "file", required = true, description = "The deployment object, a JSON file")
    private String file;

    @Option(name = "--json", description = "Print JSON for scripts")
    private boolean json;

    @Override
    public Object execute() throws Exception {
        HubDeployment d;
        try {
            d = HubDeployment.parse(ShellFiles.read(session, file), Instant.now());
        } catch (DeploymentException e) {
            throw new CommandException("Refused: " + e.getMessage());
        }
        List<String> targeted = new ArrayList<>();
        for (Device device : devices.devices()) {
            if (d.targetCondition().test(twins.conditionDocument(device.id()))) {
                targeted.add(device.id());
            }
        }
        List<String> identities = new ArrayList<>();
        d.modulesContent().fieldNames().forEachRemaining(identities::add);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", d.id());
            out.put("priority", d.priority());
            out.put("layered", d.layered());
            out.put("targetCondition", d.targetCondition().toString());
            out.put("targetedDevices", targeted);
            out.put("identities", identities);
            System.out.println(Json.write(out));
            return null;
        }
        System.out.println("Deployment '" + d.id() + "' (" + (d.layered() ? "layered" : "base") + ", priority "
                + d.priority() + ") sets the twins of " + String.join(", ", identities) + ".");
        System.out.println("It targets " + targeted.size() + " of " + devices.devices().size()
                + " registered devices (" + d.targetCondition() + "):");
        ShellTable table = new ShellTable();
        table.column("Device");
        targeted.forEach(id -> table.addRow().addContent(id));
        table.emptyTableText("(none)");
        table.print(System.out);
        return null;
    }
}
