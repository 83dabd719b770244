/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import java.util.List;
import java.util.Map;

import org.outpost.manifest.CamelRoutes;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RestartPolicy;

/** Camel module specs as the manifest parser makes them. */
final class Specs {

    private Specs() {
    }

    /** @param inline the routes' text (YAML), or null for routes by location */
    static ModuleSpec camel(String name, List<String> locations, String inline) {
        return camel(name, locations, inline, DesiredStatus.RUNNING);
    }

    static ModuleSpec camel(String name, List<String> locations, String inline, DesiredStatus status) {
        return new ModuleSpec(name, ModuleType.CAMEL, "camel", "1.2", status, RestartPolicy.ALWAYS,
                Integer.MAX_VALUE, Map.of(), null, null, null, List.of(), null, null, "org.outpost.module." + name,
                null, new CamelRoutes(locations, inline, "yaml"));
    }
}
