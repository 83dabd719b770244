/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * edgeHub's 24 built-in functions. Each has overloads tried in order, as edgeHub's executors: the first whose
 * parameters fit the arguments' static types is chosen (when it takes $body values, every argument is converted to
 * one); none fitting is a compile error.
 */
enum Function {
    ABS, EXP, POWER, SQUARE, CEILING, FLOOR, SIGN, SQRT, AS_NUMBER, IS_BOOL, IS_DEFINED, IS_NULL, IS_NUMBER, IS_STRING,
    CONCAT, LENGTH, LOWER, UPPER, SUBSTRING, INDEX_OF, STARTS_WITH, ENDS_WITH, CONTAINS, TWIN_CHANGE_INCLUDES;

    /**
     * One overload.
     *
     * @param params parameter types, or null for any one argument
     * @param varArgs the last parameter repeats
     * @param bodyValues $body values fit bool, number, string and null parameters, and every argument is converted
     * @param result the result type
     * @param impl the run-time function
     */
    record Overload(List<Type> params, boolean varArgs, boolean bodyValues, Type result,
            java.util.function.Function<Object[], Object> impl) {

        Object apply(Object[] args) {
            return impl.apply(args);
        }

        boolean fits(List<Type> args) {
            if (params == null) {
                return args.size() == 1;
            }
            if (varArgs) {
                int n = params.size() - 1;
                if (args.size() < n) {
                    return false;
                }
                for (int i = 0; i < args.size(); i++) {
                    Type wanted = params.get(Math.min(i, n));
                    if (args.get(i) != wanted && !(bodyValues && args.get(i) == Type.BODY)) {
                        return false;
                    }
                }
                return true;
            }
            if (args.size() != params.size()) {
                return false;
            }
            for (int i = 0; i < args.size(); i++) {
                if (!args.get(i).matches(params.get(i), bodyValues)) {
                    return false;
                }
            }
            return true;
        }

        String signature() {
            if (params == null) {
                return "(any)";
            }
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < params.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(params.get(i));
            }
            return s.append(varArgs ? ", ...)" : ")").toString();
        }
    }

    private static final Type B = Type.BOOL;
    private static final Type N = Type.NUMBER;
    private static final Type S = Type.STRING;

    static Optional<Function> named(String name) {
        return Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static Overload body(Type result, java.util.function.Function<Object[], Object> impl, Type... params) {
        return new Overload(List.of(params), false, true, result, impl);
    }

    private static Overload exact(Type param, Type result, java.util.function.Function<Object[], Object> impl) {
        return new Overload(List.of(param), false, false, result, impl);
    }

    private static Overload any(Object constant) {
        return new Overload(null, false, false, Type.BOOL, a -> constant);
    }

    /** @return the overloads in the order edgeHub tries them (none for twin_change_includes, which takes a path) */
    List<Overload> overloads() {
        return switch (this) {
            case ABS -> math(Math::abs);
            case EXP -> math(Math::exp);
            case CEILING -> math(Math::ceil);
            case FLOOR -> math(Math::floor);
            case SIGN -> math(x -> Double.isNaN(x) ? x : Math.signum(x));
            case SQRT -> math(Math::sqrt);
            case SQUARE -> math(x -> NetNumbers.pow(x, 2));
            case POWER -> List.of(body(N, a -> num(a[0]) && num(a[1]) ? NetNumbers.pow(d(a[0]), d(a[1])) : Double.NaN,
                    N, N));
            case AS_NUMBER -> List.of(body(N, a -> asNumber((QValue) a[0]), S), exact(N, N, a -> a[0]));
            case IS_BOOL -> List.of(body(B, a -> !q(a[0]).defined() ? Tri.UNDEFINED
                    : Ops.tri(q(a[0]).kind() == QValue.Kind.BOOL), B), any(Tri.FALSE));
            case IS_DEFINED -> List.of(S, N, B, Type.UNDEFINED, Type.NULL, Type.BODY).stream()
                    .map(t -> exact(t, B, a -> Ops.tri(defined(t, a[0])))).toList();
            case IS_NULL -> List.of(exact(S, B, a -> Ops.tri(a[0] == null)),
                    exact(Type.BODY, B, a -> q(a[0]).defined() ? Ops.tri(a[0] != QValue.MISSING) : Tri.UNDEFINED),
                    exact(Type.NULL, B, a -> Tri.TRUE), any(Tri.FALSE));
            case IS_NUMBER -> List.of(body(B, a -> Ops.tri(num(a[0]) && Double.isFinite(d(a[0]))), N), any(Tri.FALSE));
            case IS_STRING -> List.of(body(B, a -> Ops.tri(str(a[0]) != null), S), any(Tri.FALSE));
            case CONCAT -> List.of(new Overload(List.of(S, S, S), true, true, S, Function::concat));
            case LENGTH -> List.of(body(N, a -> str(a[0]) == null ? Double.NaN : (double) str(a[0]).length(), S));
            case LOWER -> List.of(body(S, a -> str(a[0]) == null ? Value.UNDEFINED : Strings.lower(str(a[0])), S));
            case UPPER -> List.of(body(S, a -> str(a[0]) == null ? Value.UNDEFINED : Strings.upper(str(a[0])), S));
            case SUBSTRING -> List.of(body(S, a -> Strings.substring(str(a[0]), q(a[1])), S, N),
                    body(S, a -> Strings.substring(str(a[0]), q(a[1]), q(a[2])), S, N, N));
            case INDEX_OF -> List.of(body(N, a -> str(a[0]) == null || str(a[1]) == null ? Double.NaN
                    : (double) str(a[0]).indexOf(str(a[1])), S, S));
            case STARTS_WITH -> strings((s, t) -> s.startsWith(t));
            case ENDS_WITH -> strings((s, t) -> s.endsWith(t));
            case CONTAINS -> strings((s, t) -> s.contains(t));
            case TWIN_CHANGE_INCLUDES -> List.of();
        };
    }

    private static List<Overload> math(DoubleUnaryOperator f) {
        return List.of(body(N, a -> num(a[0]) ? f.applyAsDouble(d(a[0])) : Double.NaN, N));
    }

    private static List<Overload> strings(java.util.function.BiPredicate<String, String> p) {
        return List.of(body(B, a -> str(a[0]) == null || str(a[1]) == null ? Tri.UNDEFINED
                : Ops.tri(p.test(str(a[0]), str(a[1]))), S, S));
    }

    private static QValue q(Object v) {
        return (QValue) v;
    }

    private static boolean num(Object v) {
        return q(v).kind() == QValue.Kind.NUMBER;
    }

    private static double d(Object v) {
        return (Double) q(v).value();
    }

    /** @return the string of a $body value, or null when it is not a string or is a null string */
    private static String str(Object v) {
        return q(v).kind() == QValue.Kind.STRING ? (String) q(v).value() : null;
    }

    private static Object asNumber(QValue v) {
        if (v.kind() == QValue.Kind.NUMBER) {
            return v.value();
        }
        if (v.kind() == QValue.Kind.STRING && v.value() != null) {
            Double d = NetNumbers.parse((String) v.value());
            return d == null ? Double.NaN : d;
        }
        return Double.NaN;
    }

    private static Object concat(Object[] a) {
        StringBuilder out = new StringBuilder();
        for (Object v : a) {
            if (q(v).kind() != QValue.Kind.STRING) {
                return Value.UNDEFINED;
            }
            out.append(q(v).value() == null ? "" : (String) q(v).value());
        }
        return out.toString();
    }

    /** edgeHub's is_defined for a value of static type {@code type}. */
    static boolean defined(Type type, Object v) {
        return switch (type) {
            case STRING -> v != Value.UNDEFINED;
            case NUMBER -> !((Double) v).isNaN();
            case BOOL -> v != Tri.UNDEFINED;
            case NULL -> true;
            case UNDEFINED -> false;
            case BODY -> ((QValue) v).defined();
        };
    }
}
