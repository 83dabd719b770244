/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.List;

import org.outpost.routelanguage.Token.Kind;

/** A compiled expression: its static type (see {@link Type} for the run-time values of each), and how to evaluate it. */
interface Expr {

    Type type();

    /** @return the source text of the expression, for explanations and hints */
    String text();

    Object eval(EvalContext ctx);

    /** A literal. */
    record Literal(Object value, Type type, String text) implements Expr {
        @Override
        public Object eval(EvalContext ctx) {
            return value;
        }
    }

    /** A bare name: an application property (a string; null when present with a null value). */
    record AppProperty(String name, String text) implements Expr {
        @Override
        public Type type() {
            return Type.STRING;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return ctx.message.hasApplicationProperty(name) ? ctx.message.applicationProperty(name)
                    : ctx.undefined(text);
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
            if (appFirst && ctx.message.hasApplicationProperty("$" + name)) {
                return ctx.message.applicationProperty("$" + name);
            }
            return ctx.message.hasSystemProperty(name) ? ctx.message.systemProperty(name) : ctx.undefined(text);
        }
    }

    /** {@code $body.a.b[2]} ({@code appProperty}: an application property of that name that wins, or null). */
    record BodyQuery(String path, String appProperty, String text) implements Expr {
        @Override
        public Type type() {
            return Type.BODY;
        }

        @Override
        public Object eval(EvalContext ctx) {
            if (appProperty != null && ctx.message.hasApplicationProperty(appProperty)) {
                return new QValue(QValue.Kind.STRING, ctx.message.applicationProperty(appProperty));
            }
            QValue v = BodyJson.select(ctx.json(), path);
            if (!v.defined()) {
                ctx.undefined(text);
            }
            return v;
        }
    }

    /** edgeHub's implicit conversion of a bool, number, string, null or undefined to a $body value. */
    record ToBody(Expr operand) implements Expr {
        static Expr of(Expr e) {
            return e.type() == Type.BODY ? e : new ToBody(e);
        }

        @Override
        public Type type() {
            return Type.BODY;
        }

        @Override
        public String text() {
            return operand.text();
        }

        @Override
        public Object eval(EvalContext ctx) {
            return QValue.from(operand.type(), operand.eval(ctx));
        }
    }

    /** {@code -x} of a number. */
    record Negate(Expr operand, String text) implements Expr {
        @Override
        public Type type() {
            return Type.NUMBER;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return -(Double) operand.eval(ctx);
        }
    }

    /** {@code NOT x} of a bool, null ({@code NOT null} is true) or $body value. */
    record Not(Expr operand, String text) implements Expr {
        @Override
        public Type type() {
            return Type.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            return switch (operand.type()) {
                case NULL -> Tri.TRUE;
                case BODY -> Ops.not(Ops.toTri(Type.BODY, v));
                default -> Ops.not((Tri) v);
            };
        }
    }

    /** {@code + - * / %} of numbers, or {@code + - * /} of $body values (both converted). */
    record Arithmetic(Kind op, Expr left, Expr right, String text) implements Expr {
        @Override
        public Type type() {
            return left.type();
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object l = left.eval(ctx);
            Object r = right.eval(ctx);
            if (left.type() == Type.BODY) {
                return Ops.arithmetic(op, (QValue) l, (QValue) r);
            }
            return Ops.arithmetic(op, (Double) l, (Double) r);
        }
    }

    /** {@code = != <> < <= > >=} of two operands of one type (both converted to $body values when either is one). */
    record Comparison(Kind op, Expr left, Expr right, String text) implements Expr {
        @Override
        public Type type() {
            return Type.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            return Ops.compare(op, left.type(), left.eval(ctx), right.eval(ctx));
        }
    }

    /**
     * {@code AND}, {@code OR} as edgeHub's operators for the operand types: between bools and undefined
     * three-valued; {@code null AND x} is null, {@code null OR x} is x; $body values must both be bools.
     */
    record Logical(Kind op, Expr left, Expr right, Type type, String text) implements Expr {
        @Override
        public Object eval(EvalContext ctx) {
            Object l = left.eval(ctx);
            Object r = right.eval(ctx);
            if (left.type() == Type.BODY) {
                return Ops.toTri(Type.BODY, Ops.logical(op, (QValue) l, (QValue) r));
            }
            boolean leftNull = left.type() == Type.NULL;
            boolean rightNull = right.type() == Type.NULL;
            if (op == Kind.AND && (leftNull || rightNull) || leftNull && rightNull) {
                return Value.NULL;
            }
            if (leftNull || rightNull) {
                return leftNull ? asTri(right, r) : asTri(left, l);
            }
            return op == Kind.AND ? Ops.and(asTri(left, l), asTri(right, r)) : Ops.or(asTri(left, l), asTri(right, r));
        }

        private static Tri asTri(Expr e, Object v) {
            return e.type() == Type.BOOL ? (Tri) v : Tri.UNDEFINED;
        }
    }

    /** {@code a ?? b}: a when it is defined, else b. */
    record Coalesce(Expr left, Expr right, String text) implements Expr {
        @Override
        public Type type() {
            return right.type();
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object l = left.eval(ctx);
            return Function.defined(left.type(), l) ? l : right.eval(ctx);
        }
    }

    /** A call of a built-in function, with the arguments as the chosen overload wants them. */
    record Call(Function function, Function.Overload overload, List<Expr> args, String text) implements Expr {
        @Override
        public Type type() {
            return overload.result();
        }

        @Override
        public Object eval(EvalContext ctx) {
            Object[] values = new Object[args.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = args.get(i).eval(ctx);
            }
            return overload.apply(values);
        }
    }

    /** {@code twin_change_includes(path)}: whether the twin change notification's body has the path. */
    record TwinChangeIncludes(String path, String text) implements Expr {
        @Override
        public Type type() {
            return Type.BOOL;
        }

        @Override
        public Object eval(EvalContext ctx) {
            Boolean b = BodyJson.includes(ctx.json(), path);
            return b == null ? (Tri) ctx.undefined(text, Tri.UNDEFINED) : Ops.tri(b);
        }
    }
}
