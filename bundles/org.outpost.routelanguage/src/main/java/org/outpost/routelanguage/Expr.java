/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A compiled expression: its static type, and how to evaluate it. */
interface Expr {

    Type type();

    /** @return the source text of the expression, for explanations and hints */
    String text();

    Object eval(EvalContext ctx);

    /** @return the application property literally named {@code $name}, which wins over {@code $name}'s meaning */
    private static String applicationDollarProperty(EvalContext ctx, String name) {
        return ctx.message.applicationProperty("$" + name);
    }

    /** A literal. */
    record Literal(Object value, Type type, String text) implements Expr {
        @Override
        public Object eval(EvalContext ctx) {
            return value;
        }
    }

    /** A bare name: an application property (always a string). */
    record AppProperty(String name, String text) implements Expr {
        @Override
        public Type type() {
            return Type.STRING;
        }

        @Override
        public Object eval(EvalContext ctx) {
            String v = ctx.message.applicationProperty(name);
            return v == null ? ctx.undefined(text) : v;
        }
    }

    /**
     * {@code $name} ({@code appFirst}: an application property literally named {@code $name} wins) or
     * {@code {$name}}: a system property.
     */
    record SysProperty(String name, boolean appFirst, String text) implements Expr {
        @Override
        public Type type() {
            return Type.STRING;
        }

        @Override
        public Object eval(EvalContext ctx) {
            String app = appFirst ? applicationDollarProperty(ctx, name) : null;
            if (app != null) {
                return app;
            }
            String v = ctx.message.systemProperty(name);
            return v == null ? ctx.undefined(text) : v;
        }
    }

    /** {@code $body.a.b[2]}: a query into a JSON body; each step is a field name (String) or an index (Integer). */
    record BodyQuery(String name, List<Object> path, boolean appFirst, String text) implements Expr {
        @Override
        public Type type() {
            return Type.ANY;
        }

        @Override
        public Object eval(EvalContext ctx) {
            String app = appFirst ? applicationDollarProperty(ctx, name) : null;
            if (app != null) {
                return app;
            }
            JsonNode node = ctx.json();
            for (Object step : path) {
                if (node == null) {
                    break;
                }
                node = step instanceof Integer i ? node.get(i) : node.get((String) step);
            }
            Object v = EvalContext.value(node);
            return v == Value.UNDEFINED ? ctx.undefined(text) : v;
        }
    }

    /** {@code -x}, {@code NOT x}. */
    record Unary(Token.Kind op, Expr operand, String text) implements Expr {
        @Override
        public Type type() {
            return op == Token.Kind.NOT ? Type.BOOL : Type.NUMBER;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            if (op == Token.Kind.NOT) {
                Tri t = Value.tri(v);
                return t == Tri.UNDEFINED ? Value.UNDEFINED : !(Boolean) v;
            }
            return v instanceof Double d ? -d : Value.UNDEFINED;
        }
    }

    /** A binary operator. */
    record Binary(Token.Kind op, Expr left, Expr right, Type type, String text) implements Expr {
        @Override
        public Object eval(EvalContext ctx) {
            switch (op) {
                case AND, OR -> {
                    // Three-valued: false decides AND, true decides OR, whatever the other side is; otherwise an
                    // undefined side makes the result undefined.
                    Tri decisive = op == Token.Kind.AND ? Tri.FALSE : Tri.TRUE;
                    Tri l = Value.tri(left.eval(ctx));
                    if (l == decisive) {
                        return decisive == Tri.TRUE;
                    }
                    Tri r = Value.tri(right.eval(ctx));
                    if (r == decisive) {
                        return decisive == Tri.TRUE;
                    }
                    boolean undefined = l == Tri.UNDEFINED || r == Tri.UNDEFINED;
                    return undefined ? Value.UNDEFINED : (Object) (decisive == Tri.FALSE);
                }
                case COALESCE -> {
                    Object l = left.eval(ctx);
                    return l != Value.UNDEFINED ? l : right.eval(ctx);
                }
                default -> {
                    return apply(left.eval(ctx), right.eval(ctx));
                }
            }
        }

        private Object apply(Object l, Object r) {
            switch (op) {
                case PLUS, MINUS, MUL, DIV, MOD -> {
                    if (!(l instanceof Double a) || !(r instanceof Double b)) {
                        return Value.UNDEFINED;
                    }
                    return switch (op) {
                        case PLUS -> a + b;
                        case MINUS -> a - b;
                        case MUL -> a * b;
                        case DIV -> a / b;
                        default -> a % b;
                    };
                }
                case CONCAT -> {
                    return l instanceof String a && r instanceof String b ? a + b : Value.UNDEFINED;
                }
                case EQ, NE -> {
                    if (l instanceof Value || r instanceof Value || l.getClass() != r.getClass()) {
                        return Value.UNDEFINED;
                    }
                    boolean equal = l instanceof Double a ? a.doubleValue() == ((Double) r).doubleValue() : l.equals(r);
                    return equal == (op == Token.Kind.EQ);
                }
                default -> {
                    int c;
                    if (l instanceof Double a && r instanceof Double b) {
                        if (a.isNaN() || b.isNaN()) {
                            return false;
                        }
                        c = Double.compare(a, b);
                    } else if (l instanceof String a && r instanceof String b) {
                        c = a.compareTo(b);
                    } else {
                        return Value.UNDEFINED;
                    }
                    return switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
            }
        }
    }

    /** A call of a built-in function. */
    record Call(Function function, List<Expr> args, String text) implements Expr {
        @Override
        public Type type() {
            return function.result();
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object[] values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).eval(ctx);
            }
            return function.apply(values, ctx);
        }
    }
}
