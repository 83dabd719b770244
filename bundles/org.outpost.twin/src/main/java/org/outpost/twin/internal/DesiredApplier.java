/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Gives a module its desired properties as configuration: checked against (and typed by) the Metatype definition of
 * its configuration when it has one ({@link TypedDesired}), then put in place of the desired properties it had; the
 * configuration's other properties stay. The configuration is updated only if that changes it; a configuration the
 * module may not have ({@link ModuleConfigurations.Target#refused}) is not touched.
 */
final class DesiredApplier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, ModuleConfigurations.Target> targets;
    private final ConfigurationAdmin configurationAdmin;

    /** @param targets where a module's desired properties go ({@link ModuleConfigurations#target}) */
    DesiredApplier(Function<String, ModuleConfigurations.Target> targets, ConfigurationAdmin configurationAdmin) {
        this.targets = targets;
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * @param desiredJson the desired properties to apply (a JSON object)
     * @param beforeJson the desired properties applied before, which they replace
     * @throws IllegalArgumentException if they do not fit the module's definition; nothing is changed then
     * @throws IOException if they are not JSON objects or the configuration cannot be stored
     */
    void apply(String module, String desiredJson, String beforeJson) throws IOException {
        ObjectNode desired = (ObjectNode) JSON.readTree(desiredJson);
        ObjectNode before = (ObjectNode) JSON.readTree(beforeJson);
        ModuleConfigurations.Target target = targets.apply(module);
        if (target.refused() != null) {
            throw new IllegalArgumentException(module + "'s configuration " + target.pid() + " is not given desired"
                    + " properties: " + target.refused());
        }
        Map<String, Object> values = TypedDesired.toConfiguration(desired, target.definition(),
                module + "'s configuration " + target.pid());
        Configuration c = configurationAdmin.getConfiguration(target.pid(), "?");
        Hashtable<String, Object> next = new Hashtable<>();
        Dictionary<String, Object> current = c.getProperties();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!k.equals("service.pid") && !before.has(k)) {
                    next.put(k, current.get(k));
                }
            }
        }
        next.putAll(values);
        c.updateIfDifferent(next);
    }
}
