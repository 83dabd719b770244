/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.configjson.JsonConfiguration;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.ModuleSpec;

/** Gives each deployed module its configuration: its env and the desired properties of its twin section. */
final class ModuleConfigurations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurationAdmin configurationAdmin;

    ModuleConfigurations(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /**
     * Gives a module its env and desired properties as the configuration {@code spec.configPid()}. A manifest without
     * the module's twin section (as one from the cloud, where module twins are kept apart) leaves the desired
     * properties the configuration holds and replaces only the env.
     */
    void configure(ModuleSpec before, ModuleSpec spec, String twinJson, Undo undo) throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>();
        Configuration existing = configurationAdmin.getConfiguration(spec.configPid(), "?");
        if (twinJson == null && existing.getProperties() != null) {
            for (java.util.Enumeration<String> keys = existing.getProperties().keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                boolean oldEnv = before != null && before.configPid().equals(spec.configPid())
                        && before.env().containsKey(k);
                if (!k.startsWith("service.") && !k.startsWith("felix.") && !oldEnv) {
                    properties.put(k, existing.getProperties().get(k));
                }
            }
        }
        spec.env().forEach(properties::put);
        if (twinJson != null && JSON.readTree(twinJson) instanceof ObjectNode twin) {
            properties.putAll(JsonConfiguration.untyped(twin));
        }
        if (properties.isEmpty()) {
            return;
        }
        Configuration c = existing;
        Dictionary<String, Object> previous = c.getProperties();
        if (previous != null && same(previous, properties)) {
            return;
        }
        c.update(properties);
        undo.push("restore configuration " + spec.configPid(), () -> {
            if (previous == null) {
                c.delete();
            } else {
                c.update(previous);
            }
        });
    }

    /**
     * @return whether a configuration holds {@code b}, leaving out the keys of the framework ({@code service.*}) and
     *         of Felix ({@code felix.*}, such as fileinstall's {@code felix.fileinstall.filename}). Not ConfigAdmin's
     *         {@code Configuration.updateIfDifferent}: Felix's leaves out only service.pid, service.factoryPid and
     *         service.bundleLocation, so a configuration that came from an {@code etc/*.cfg} file would be written
     *         again (and lose its link to the file) by every deployment that does not change it.
     */
    static boolean same(Dictionary<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (java.util.Enumeration<String> keys = a.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.startsWith("service.") && !k.startsWith("felix.")) {
                m.put(k, a.get(k));
            }
        }
        if (!m.keySet().equals(b.keySet())) {
            return false;
        }
        return m.entrySet().stream().allMatch(e -> java.util.Objects.deepEquals(e.getValue(), b.get(e.getKey())));
    }
}
