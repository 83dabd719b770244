/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import org.outpost.routelanguage.Token.Kind;

/** The run-time semantics of edgeHub's operators, by static type (its Bool, Null, Undefined and QueryValue types). */
final class Ops {

    private Ops() {
    }

    static Tri tri(boolean b) {
        return b ? Tri.TRUE : Tri.FALSE;
    }

    /** A value of static type {@code type} as a condition's result (edgeHub's conversion to Bool). */
    static Tri toTri(Type type, Object v) {
        return switch (type) {
            case BOOL -> (Tri) v;
            case NULL -> Tri.FALSE;
            case BODY -> ((QValue) v).kind() == QValue.Kind.BOOL ? tri((Boolean) ((QValue) v).value()) : Tri.UNDEFINED;
            case NUMBER, STRING, UNDEFINED -> Tri.UNDEFINED;
        };
    }

    static Tri not(Tri t) {
        return t == Tri.UNDEFINED ? Tri.UNDEFINED : tri(t == Tri.FALSE);
    }

    /** edgeHub's Bool {@code &}: false wins, then undefined. */
    static Tri and(Tri a, Tri b) {
        if (a == Tri.FALSE || b == Tri.FALSE) {
            return Tri.FALSE;
        }
        return a == Tri.UNDEFINED || b == Tri.UNDEFINED ? Tri.UNDEFINED : Tri.TRUE;
    }

    /** edgeHub's Bool {@code |}: true wins, then undefined. */
    static Tri or(Tri a, Tri b) {
        if (a == Tri.TRUE || b == Tri.TRUE) {
            return Tri.TRUE;
        }
        return a == Tri.UNDEFINED || b == Tri.UNDEFINED ? Tri.UNDEFINED : Tri.FALSE;
    }

    /** {@code &}/{@code |} of two $body values: both must be bools, else undefined. */
    static QValue logical(Kind op, QValue a, QValue b) {
        if (a.kind() != QValue.Kind.BOOL || b.kind() != QValue.Kind.BOOL) {
            return QValue.UNDEFINED;
        }
        Tri l = tri((Boolean) a.value());
        Tri r = tri((Boolean) b.value());
        return QValue.of((op == Kind.AND ? and(l, r) : or(l, r)) == Tri.TRUE);
    }

    /** Arithmetic on two $body values: numbers give a number (even NaN), anything else undefined. */
    static QValue arithmetic(Kind op, QValue a, QValue b) {
        if (a.kind() != QValue.Kind.NUMBER || b.kind() != QValue.Kind.NUMBER) {
            return QValue.UNDEFINED;
        }
        return QValue.of(arithmetic(op, (Double) a.value(), (Double) b.value()));
    }

    static double arithmetic(Kind op, double a, double b) {
        return switch (op) {
            case PLUS -> a + b;
            case MINUS -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            default -> a % b;
        };
    }

    /** @return the comparison's result from a three-way comparison */
    private static Tri result(Kind op, int c) {
        return tri(switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            default -> c >= 0;
        });
    }

    /** Compares two values of the same static type {@code type} (both converted to BODY when either was). */
    static Tri compare(Kind op, Type type, Object a, Object b) {
        switch (type) {
            case STRING -> {
                if (!(a instanceof String x) || !(b instanceof String y)) {
                    return Tri.UNDEFINED;
                }
                return result(op, x.compareTo(y));
            }
            case NUMBER -> {
                double x = (Double) a;
                double y = (Double) b;
                return Double.isNaN(x) || Double.isNaN(y) ? Tri.UNDEFINED : result(op, NetNumbers.compare(x, y));
            }
            case BOOL -> {
                if (a == Tri.UNDEFINED || b == Tri.UNDEFINED) {
                    return Tri.UNDEFINED;
                }
                return result(op, Boolean.compare(a == Tri.TRUE, b == Tri.TRUE));
            }
            case NULL -> {
                return result(op, 0);
            }
            case UNDEFINED -> {
                return Tri.UNDEFINED;
            }
            default -> {
                QValue x = (QValue) a;
                QValue y = (QValue) b;
                return !x.defined() || !y.defined() ? Tri.UNDEFINED : result(op, compare(x, y));
            }
        }
    }

    /** QueryValue.CompareTo: values of different kinds order bool < number < string < null. */
    private static int compare(QValue x, QValue y) {
        if (x.kind() != y.kind()) {
            return x.kind().compareTo(y.kind());
        }
        return switch (x.kind()) {
            case BOOL -> Boolean.compare((Boolean) x.value(), (Boolean) y.value());
            case NUMBER -> NetNumbers.compare((Double) x.value(), (Double) y.value());
            case STRING -> {
                String s = (String) x.value();
                String t = (String) y.value();
                yield s == null ? (t == null ? 0 : -1) : t == null ? 1 : s.compareTo(t);
            }
            default -> 0;
        };
    }
}
