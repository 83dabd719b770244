/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** The static type of an expression, checked when a route is compiled. */
enum Type {
    BOOL("bool"), NUMBER("number"), STRING("string"), NULL("null"), UNDEFINED("undefined"),
    /** Known only at run time: a {@code $body} query. */
    ANY("any");

    private final String label;

    Type(String label) {
        this.label = label;
    }

    /** @return true if a value of this type may be used where {@code wanted} is required */
    boolean fits(Type wanted) {
        return this == wanted || this == ANY || this == NULL || this == UNDEFINED;
    }

    @Override
    public String toString() {
        return label;
    }
}
