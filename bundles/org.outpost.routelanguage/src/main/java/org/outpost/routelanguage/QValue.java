/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/**
 * A {@code $body} value, edgeHub's QueryValue: undefined (NONE), a bool, a number, a string or null. A path the body
 * does not have is {@link #MISSING}, a null of its own: edgeHub's {@code is_null} and {@code twin_change_includes}
 * tell it apart from a JSON null.
 *
 * @param kind the kind, in edgeHub's order for comparing values of different kinds
 * @param value a Boolean, Double or String (a String may be null), or null
 */
record QValue(Kind kind, Object value) {

    enum Kind {
        NONE, BOOL, NUMBER, STRING, NULL
    }

    static final QValue UNDEFINED = new QValue(Kind.NONE, null);
    /** What a path the body does not have gives. */
    static final QValue MISSING = new QValue(Kind.NULL, null);

    static QValue of(boolean b) {
        return new QValue(Kind.BOOL, b);
    }

    static QValue of(double d) {
        return new QValue(Kind.NUMBER, d);
    }

    static QValue nullValue() {
        return new QValue(Kind.NULL, null);
    }

    boolean defined() {
        return kind != Kind.NONE;
    }

    /** @return a run-time value of static type {@code from} as a $body value (edgeHub's implicit conversions) */
    static QValue from(Type from, Object v) {
        return switch (from) {
            case BODY -> (QValue) v;
            case BOOL -> v == Tri.UNDEFINED ? UNDEFINED : of(v == Tri.TRUE);
            case NUMBER -> ((Double) v).isNaN() ? UNDEFINED : of((Double) v);
            case STRING -> v == Value.UNDEFINED ? UNDEFINED : new QValue(Kind.STRING, v);
            case NULL -> nullValue();
            case UNDEFINED -> UNDEFINED;
        };
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
