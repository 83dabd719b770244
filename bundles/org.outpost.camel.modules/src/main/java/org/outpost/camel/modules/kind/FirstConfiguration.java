/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.configjson.JsonConfiguration;
import org.outpost.manifest.ModuleSpec;

/**
 * Gives a route module the configuration its deployment gives it (its env and desired properties, as the deployment
 * service's own module configurations make them) before its bundle starts: its routes' placeholders need their values
 * when the routes start, and the deployment service configures a module only after installing it. The deployment
 * service then finds the configuration as it would make it and leaves it; what was there before is restored if the
 * deployment is undone.
 */
final class FirstConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigurationAdmin configurationAdmin;
    /** What each module's configuration held before this gave it one (null: none), for the undo. */
    private final Map<String, Dictionary<String, Object>> before = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Boolean> hadNone = new java.util.concurrent.ConcurrentHashMap<>();

    FirstConfiguration(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    /** @return the configuration the deployment gives the module: its env and desired properties */
    static Map<String, Object> of(ModuleSpec spec, String twinJson) throws IOException {
        Map<String, Object> properties = new LinkedHashMap<>(spec.env());
        JsonNode twin = JSON.readTree(twinJson);
        if (twin instanceof ObjectNode o) {
            properties.putAll(JsonConfiguration.untyped(o));
        }
        return properties;
    }

    /** Gives the module's PID these properties unless it has them already; remembers what it had. */
    void give(ModuleSpec spec, Map<String, Object> properties) throws IOException {
        if (configurationAdmin == null || properties.isEmpty()) {
            return;
        }
        Configuration c = configurationAdmin.getConfiguration(spec.configPid(), "?");
        Dictionary<String, Object> previous = c.getProperties();
        if (previous != null && same(previous, properties)) {
            return;
        }
        if (previous == null) {
            hadNone.put(spec.configPid(), true);
        } else {
            before.put(spec.configPid(), previous);
        }
        c.update(new Hashtable<>(properties));
    }

    /** Restores what {@link #give} changed for the module, if it changed it. */
    void restore(ModuleSpec spec) throws IOException {
        Dictionary<String, Object> previous = before.remove(spec.configPid());
        boolean none = hadNone.remove(spec.configPid()) != null;
        if (configurationAdmin == null || previous == null && !none) {
            return;
        }
        Configuration c = configurationAdmin.getConfiguration(spec.configPid(), "?");
        if (none) {
            c.delete();
        } else {
            c.update(previous);
        }
    }

    /** Forgets what {@link #give} changed: the deployment is kept. */
    void forget(ModuleSpec spec) {
        before.remove(spec.configPid());
        hadNone.remove(spec.configPid());
    }

    /** As the deployment service compares: leaving out the framework's and Felix's own keys. */
    static boolean same(Dictionary<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Enumeration<String> keys = a.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.startsWith("service.") && !k.startsWith("felix.")) {
                m.put(k, a.get(k));
            }
        }
        return m.keySet().equals(b.keySet()) && m.entrySet().stream().allMatch(e -> Objects.deepEquals(e.getValue(),
                b.get(e.getKey())));
    }
}
