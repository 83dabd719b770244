/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.configjson.JsonConfiguration;

/**
 * A module twin's desired properties as configuration properties, by {@link JsonConfiguration}: the twin's
 * {@code $} metadata left out, then checked against the module's Metatype definition when it has one (typed twins)
 * and converted to the types it declares. Without one, {@link JsonConfiguration#untypedValue the untyped rule}
 * applies, the same as for a module's desired properties in a deployment manifest.
 */
final class TypedDesired {

    private TypedDesired() {
    }

    /**
     * @param desired the desired properties ({@code $version} and other {@code $} members are left out)
     * @param ocd the module's configuration definition, or null if it has none
     * @param what names the definition in errors, e.g. {@code temperature-filter's configuration org.outpost.x}
     * @return the configuration properties
     * @throws IllegalArgumentException naming the first property that does not fit, and why
     */
    static Map<String, Object> toConfiguration(ObjectNode desired, ObjectClassDefinition ocd, String what) {
        ObjectNode properties = desired.deepCopy();
        List<String> metadata = new ArrayList<>();
        properties.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("$")) {
                metadata.add(k);
            }
        });
        properties.remove(metadata);
        if (ocd != null) {
            return JsonConfiguration.typed(properties, "desired", MetatypeSchema.of(ocd, what));
        }
        return JsonConfiguration.untyped(properties);
    }
}
