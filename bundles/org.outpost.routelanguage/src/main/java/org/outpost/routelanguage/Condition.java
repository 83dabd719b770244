/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** A compiled condition (the text after {@code WHERE}); immutable and safe to share between threads. */
public final class Condition {

    /**
     * The result of an evaluation, with the reason when it is undefined.
     *
     * @param result true, false or undefined
     * @param undefinedOperand when the result is undefined: the first operand that had no value (e.g.
     *            {@code $body.temp}), or null
     */
    public record Evaluation(Tri result, String undefinedOperand) {
    }

    private final String text;
    private final Expr expr;

    Condition(String text, Expr expr) {
        this.text = text;
        this.expr = expr;
    }

    /** @return the condition as written */
    public String text() {
        return text;
    }

    /** @return true, false or undefined for this message */
    public Tri evaluate(RouteMessage message) {
        return Ops.toTri(expr.type(), expr.eval(new EvalContext(message)));
    }

    /** @return the result and, when undefined, which operand had no value */
    public Evaluation explain(RouteMessage message) {
        EvalContext ctx = new EvalContext(message);
        Tri result = Ops.toTri(expr.type(), expr.eval(ctx));
        return new Evaluation(result, result == Tri.UNDEFINED ? ctx.firstUndefined : null);
    }

    @Override
    public String toString() {
        return text;
    }
}
