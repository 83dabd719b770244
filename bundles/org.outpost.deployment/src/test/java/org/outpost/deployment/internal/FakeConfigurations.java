/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** ConfigurationAdmin holding configurations in a map, writing down each update and delete. */
final class FakeConfigurations {

    final Map<String, Dictionary<String, Object>> stored = new HashMap<>();
    final List<String> writes = new ArrayList<>();

    ConfigurationAdmin admin() {
        return Specs.stub(ConfigurationAdmin.class, (method, args) -> {
            if (!method.equals("getConfiguration")) {
                throw new UnsupportedOperationException(method);
            }
            return configuration((String) args[0]);
        });
    }

    @SuppressWarnings("unchecked")
    private Configuration configuration(String pid) {
        return Specs.stub(Configuration.class, (method, args) -> switch (method) {
            case "getProperties" -> stored.containsKey(pid) ? new Hashtable<>(copy(stored.get(pid))) : null;
            case "update" -> {
                writes.add("update " + pid);
                stored.put(pid, copy((Dictionary<String, Object>) args[0]));
                yield null;
            }
            case "delete" -> {
                writes.add("delete " + pid);
                stored.remove(pid);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> out = new Hashtable<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
    }
}
