/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The built-in functions. Each declares its parameter types (checked when the route is compiled) and gives
 * {@code undefined} when an argument of the wrong type arrives at run time.
 */
enum Function {
    ABS(Type.NUMBER, 1, 1, Type.NUMBER),
    EXP(Type.NUMBER, 1, 1, Type.NUMBER),
    POWER(Type.NUMBER, 2, 2, Type.NUMBER),
    SQUARE(Type.NUMBER, 1, 1, Type.NUMBER),
    CEILING(Type.NUMBER, 1, 1, Type.NUMBER),
    FLOOR(Type.NUMBER, 1, 1, Type.NUMBER),
    SIGN(Type.NUMBER, 1, 1, Type.NUMBER),
    SQRT(Type.NUMBER, 1, 1, Type.NUMBER),
    AS_NUMBER(Type.NUMBER, 1, 1, null),
    IS_BOOL(Type.BOOL, 1, 1, null),
    IS_DEFINED(Type.BOOL, 1, 1, null),
    IS_NULL(Type.BOOL, 1, 1, null),
    IS_NUMBER(Type.BOOL, 1, 1, null),
    IS_STRING(Type.BOOL, 1, 1, null),
    CONCAT(Type.STRING, 2, Integer.MAX_VALUE, Type.STRING),
    LENGTH(Type.NUMBER, 1, 1, Type.STRING),
    LOWER(Type.STRING, 1, 1, Type.STRING),
    UPPER(Type.STRING, 1, 1, Type.STRING),
    SUBSTRING(Type.STRING, 2, 3, Type.STRING, Type.NUMBER, Type.NUMBER),
    INDEX_OF(Type.NUMBER, 2, 2, Type.STRING),
    STARTS_WITH(Type.BOOL, 2, 2, Type.STRING),
    ENDS_WITH(Type.BOOL, 2, 2, Type.STRING),
    CONTAINS(Type.BOOL, 2, 2, Type.STRING),
    TWIN_CHANGE_INCLUDES(Type.BOOL, 1, 1, Type.STRING);

    private final Type result;
    private final int minArgs;
    private final int maxArgs;
    private final Type[] params;

    Function(Type result, int minArgs, int maxArgs, Type... params) {
        this.result = result;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.params = params;
    }

    static Optional<Function> named(String name) {
        return Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Type result() {
        return result;
    }

    int minArgs() {
        return minArgs;
    }

    int maxArgs() {
        return maxArgs;
    }

    /** @return the type argument {@code i} must fit, or null for any */
    Type param(int i) {
        if (params == null || params.length == 0 || params[0] == null) {
            return null;
        }
        return params[Math.min(i, params.length - 1)];
    }

    Object apply(Object[] a, EvalContext ctx) {
        return switch (this) {
            case ABS -> num(a, Math::abs);
            case EXP -> num(a, Math::exp);
            case SQUARE -> num(a, x -> x * x);
            case CEILING -> num(a, Math::ceil);
            case FLOOR -> num(a, Math::floor);
            case SIGN -> num(a, Math::signum);
            case SQRT -> num(a, Math::sqrt);
            case POWER -> a[0] instanceof Double x && a[1] instanceof Double y ? Math.pow(x, y) : Value.UNDEFINED;
            case AS_NUMBER -> asNumber(a[0]);
            case IS_BOOL -> a[0] instanceof Boolean;
            case IS_DEFINED -> a[0] != Value.UNDEFINED;
            case IS_NULL -> a[0] == Value.NULL;
            case IS_NUMBER -> a[0] instanceof Double;
            case IS_STRING -> a[0] instanceof String;
            case CONCAT -> concat(a);
            case LENGTH -> a[0] instanceof String s ? (Object) (double) s.length() : Value.UNDEFINED;
            case LOWER -> a[0] instanceof String s ? s.toLowerCase(Locale.ROOT) : Value.UNDEFINED;
            case UPPER -> a[0] instanceof String s ? s.toUpperCase(Locale.ROOT) : Value.UNDEFINED;
            case SUBSTRING -> substring(a);
            case INDEX_OF -> a[0] instanceof String s && a[1] instanceof String t ? (Object) (double) s.indexOf(t)
                    : Value.UNDEFINED;
            case STARTS_WITH -> a[0] instanceof String s && a[1] instanceof String t ? (Object) s.startsWith(t)
                    : Value.UNDEFINED;
            case ENDS_WITH -> a[0] instanceof String s && a[1] instanceof String t ? (Object) s.endsWith(t)
                    : Value.UNDEFINED;
            case CONTAINS -> a[0] instanceof String s && a[1] instanceof String t ? (Object) s.contains(t)
                    : Value.UNDEFINED;
            case TWIN_CHANGE_INCLUDES -> twinChangeIncludes(a[0], ctx);
        };
    }

    private static Object num(Object[] a, java.util.function.DoubleUnaryOperator f) {
        return a[0] instanceof Double x ? (Object) f.applyAsDouble(x) : Value.UNDEFINED;
    }

    private static Object asNumber(Object v) {
        if (v instanceof Double) {
            return v;
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Value.UNDEFINED;
            }
        }
        return Value.UNDEFINED;
    }

    private static Object concat(Object[] a) {
        StringBuilder out = new StringBuilder();
        for (Object v : a) {
            if (!(v instanceof String s)) {
                return Value.UNDEFINED;
            }
            out.append(s);
        }
        return out.toString();
    }

    private static Object substring(Object[] a) {
        if (!(a[0] instanceof String s) || !(a[1] instanceof Double start) || start != Math.rint(start)
                || start < 0 || start > s.length()) {
            return Value.UNDEFINED;
        }
        int from = start.intValue();
        if (a.length == 2) {
            return s.substring(from);
        }
        if (!(a[2] instanceof Double len) || len != Math.rint(len) || len < 0 || from + len > s.length()) {
            return Value.UNDEFINED;
        }
        return s.substring(from, from + len.intValue());
    }

    private static Object twinChangeIncludes(Object path, EvalContext ctx) {
        if (!(path instanceof String p) || !ctx.message.source().toLowerCase(Locale.ROOT)
                .startsWith("/twinchangenotifications")) {
            return Value.UNDEFINED;
        }
        JsonNode node = ctx.json();
        if (node == null) {
            return Value.UNDEFINED;
        }
        for (String step : p.split("\\.")) {
            node = node.get(step);
            if (node == null) {
                return false;
            }
        }
        return true;
    }
}
