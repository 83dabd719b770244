/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/**
 * The static type of an expression, checked when a route is compiled: edgeHub's {@code Bool}, {@code double},
 * {@code string}, {@code Null}, {@code Undefined} and {@code QueryValue}. The run-time value of each is:
 * {@link Tri} for BOOL; {@link Double} for NUMBER (NaN is undefined); {@link String}, Java null (a property present
 * with a null value) or {@link Value#UNDEFINED} for STRING; {@link Value#NULL} for NULL; {@link Value#UNDEFINED} for
 * UNDEFINED; {@link QValue} for BODY.
 */
enum Type {
    BOOL("bool"), NUMBER("number"), STRING("string"), NULL("null"), UNDEFINED("undefined"),
    /** A {@code $body} value: known only at run time. */
    BODY("$body value");

    private final String label;

    Type(String label) {
        this.label = label;
    }

    /** @return true for the types a $body value may stand in for (edgeHub's QueryValue.IsSupportedType) */
    boolean bodyCompatible() {
        return this == BOOL || this == NUMBER || this == STRING || this == NULL;
    }

    /**
     * edgeHub's argument match: the same type, or a $body value where a bool, number, string or null is wanted (and
     * the other way round).
     */
    boolean matches(Type wanted, boolean bodyValues) {
        if (this == wanted) {
            return true;
        }
        return bodyValues && (this == BODY && wanted.bodyCompatible() || wanted == BODY && bodyCompatible());
    }

    @Override
    public String toString() {
        return label;
    }
}
