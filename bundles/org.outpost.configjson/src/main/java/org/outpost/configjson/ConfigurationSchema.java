/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The attributes a configuration has, as a Metatype {@code ObjectClassDefinition} lists them.
 *
 * @param name names the configuration in errors, e.g. {@code temperature-filter's configuration org.outpost.x}
 * @param attributes its attributes; of two with one id, the later counts
 */
public record ConfigurationSchema(String name, List<AttributeSchema> attributes) {

    public ConfigurationSchema {
        Objects.requireNonNull(name, "name");
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /** @return the attribute with this id, if there is one */
    public Optional<AttributeSchema> attribute(String id) {
        return Optional.ofNullable(byId().get(id));
    }

    /** @return the attribute ids, sorted */
    public List<String> ids() {
        return List.copyOf(new TreeSet<>(byId().keySet()));
    }

    /** @return the ids of the required attributes that {@code configuration} has no value for, sorted */
    public List<String> missing(Map<String, ?> configuration) {
        List<String> out = new ArrayList<>();
        for (AttributeSchema a : byId().values()) {
            if (a.required() && configuration.get(a.id()) == null) {
                out.add(a.id());
            }
        }
        Collections.sort(out);
        return out;
    }

    private Map<String, AttributeSchema> byId() {
        Map<String, AttributeSchema> m = new LinkedHashMap<>();
        attributes.forEach(a -> m.put(a.id(), a));
        return m;
    }
}
