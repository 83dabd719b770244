/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.configjson;

/** The types a configuration attribute can have: those of OSGi Metatype (without its deprecated big numbers). */
public enum AttributeType {
    STRING(String.class, "string"),
    LONG(Long.class, "integer"),
    INTEGER(Integer.class, "integer"),
    SHORT(Short.class, "integer from -32768 to 32767"),
    BYTE(Byte.class, "integer from -128 to 127"),
    CHARACTER(Character.class, "single character"),
    DOUBLE(Double.class, "number"),
    FLOAT(Float.class, "number"),
    BOOLEAN(Boolean.class, "boolean"),
    /** A string that tools should not show. */
    PASSWORD(String.class, "string");

    private final Class<?> javaType;
    private final String expected;

    AttributeType(Class<?> javaType, String expected) {
        this.javaType = javaType;
        this.expected = expected;
    }

    /** @return the Java type of a value, and of the items of a list */
    public Class<?> javaType() {
        return javaType;
    }

    /** @return what a value of this type is, as errors say it: {@code "integer from -128 to 127"} */
    public String expected() {
        return expected;
    }
}
