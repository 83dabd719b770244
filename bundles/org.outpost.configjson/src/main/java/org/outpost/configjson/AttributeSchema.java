/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

import java.util.List;
import java.util.Objects;

/**
 * One configuration attribute, as a Metatype {@code AttributeDefinition} describes it.
 *
 * @param id the property key
 * @param type the type of its value (of each item, for a list)
 * @param cardinality as Metatype's: 0 for one value; {@code n > 0} or {@code n < 0} for a list of at most
 *            {@code |n|} values; {@link Integer#MAX_VALUE} or {@link Integer#MIN_VALUE} for a list of any length. A
 *            list becomes an array of {@link AttributeType#javaType()}; one JSON value given for a list is a list of
 *            one
 * @param options the values it may take (compared as text), empty for any
 * @param required whether the configuration must have it; for a caller that checks a whole configuration
 *            ({@link ConfigurationSchema#missing}), the conversion itself does not ask for it
 * @param validator its own further check of each value, {@link Validator#NONE} if it has none
 */
public record AttributeSchema(String id, AttributeType type, int cardinality, List<String> options, boolean required,
        Validator validator) {

    /** A further check of a value, as Metatype's {@code AttributeDefinition.validate}. */
    @FunctionalInterface
    public interface Validator {
        /** Accepts every value. */
        Validator NONE = value -> null;

        /**
         * @param value the value as text ({@code String.valueOf})
         * @return null or empty if it is fine, else what is wrong, e.g. {@code "is more than 100"}
         */
        String problem(String value);
    }

    public AttributeSchema {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        options = options == null ? List.of() : List.copyOf(options);
        validator = validator == null ? Validator.NONE : validator;
    }

    /** @return an optional attribute taking one value of {@code type}, with no options and no validator */
    public static AttributeSchema of(String id, AttributeType type) {
        return new AttributeSchema(id, type, 0, List.of(), false, Validator.NONE);
    }

    /** @return this attribute with another cardinality */
    public AttributeSchema withCardinality(int n) {
        return new AttributeSchema(id, type, n, options, required, validator);
    }

    /** @return this attribute taking only these values */
    public AttributeSchema withOptions(String... values) {
        return new AttributeSchema(id, type, cardinality, List.of(values), required, validator);
    }

    /** @return this attribute, required */
    public AttributeSchema asRequired() {
        return new AttributeSchema(id, type, cardinality, options, true, validator);
    }

    /** @return this attribute with its own check */
    public AttributeSchema withValidator(Validator v) {
        return new AttributeSchema(id, type, cardinality, options, required, v);
    }

    /** @return whether it takes a list (an array) rather than one value */
    public boolean isList() {
        return cardinality != 0;
    }

    /** @return the most values it takes as a list, {@link Integer#MAX_VALUE} for any number */
    public int maxValues() {
        return cardinality == Integer.MIN_VALUE ? Integer.MAX_VALUE : Math.abs(cardinality);
    }
}
