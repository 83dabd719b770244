/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.configjson.AttributeSchema;
import org.outpost.configjson.AttributeType;
import org.outpost.configjson.ConfigurationSchema;

/** A Metatype definition as the neutral schema that {@link org.outpost.configjson.JsonConfiguration} types by. */
final class MetatypeSchema {

    private MetatypeSchema() {
    }

    /**
     * @param ocd a configuration's Metatype definition
     * @param name names it in errors, e.g. {@code temperature-filter's configuration org.outpost.x}
     * @return its attributes (all of them, required or not), with their own validation
     */
    static ConfigurationSchema of(ObjectClassDefinition ocd, String name) {
        Set<String> required = new HashSet<>();
        for (AttributeDefinition ad : definitions(ocd, ObjectClassDefinition.REQUIRED)) {
            required.add(ad.getID());
        }
        List<AttributeSchema> attributes = new ArrayList<>();
        for (AttributeDefinition ad : definitions(ocd, ObjectClassDefinition.ALL)) {
            String[] options = ad.getOptionValues();
            attributes.add(new AttributeSchema(ad.getID(), type(ad.getType()), ad.getCardinality(),
                    options == null ? List.of() : Arrays.asList(options), required.contains(ad.getID()),
                    ad::validate));
        }
        return new ConfigurationSchema(name, attributes);
    }

    /**
     * @return the schema's type for a Metatype type; the deprecated {@code BIGINTEGER} and {@code BIGDECIMAL} (which
     *         a Metatype XML document cannot declare) and unknown types are taken as strings
     */
    static AttributeType type(int metatype) {
        return switch (metatype) {
            case AttributeDefinition.LONG -> AttributeType.LONG;
            case AttributeDefinition.INTEGER -> AttributeType.INTEGER;
            case AttributeDefinition.SHORT -> AttributeType.SHORT;
            case AttributeDefinition.CHARACTER -> AttributeType.CHARACTER;
            case AttributeDefinition.BYTE -> AttributeType.BYTE;
            case AttributeDefinition.DOUBLE -> AttributeType.DOUBLE;
            case AttributeDefinition.FLOAT -> AttributeType.FLOAT;
            case AttributeDefinition.BOOLEAN -> AttributeType.BOOLEAN;
            case AttributeDefinition.PASSWORD -> AttributeType.PASSWORD;
            default -> AttributeType.STRING;
        };
    }

    private static List<AttributeDefinition> definitions(ObjectClassDefinition ocd, int filter) {
        AttributeDefinition[] all = ocd.getAttributeDefinitions(filter);
        return all == null ? List.of() : Arrays.asList(all);
    }
}
