/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.outpost.routelanguage.Token.Kind;

/**
 * Turns a syntax tree into a typed expression, with edgeHub's type rules (its ConditionVisitor): which operand types
 * each operator and built-in takes, where a {@code $body} value stands in for a bool, number, string or null, and
 * which combinations it refuses when it compiles a route.
 */
final class Compiler {

    private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\[Uu]([0-9A-Fa-f]{4})");
    private static final Pattern CHAR_ESCAPE = Pattern.compile("\\\\([\"'\\\\])");
    private static final Set<Type> LOGICAL = Set.of(Type.NULL, Type.BOOL, Type.UNDEFINED, Type.BODY);

    private final String route;
    /** Whether twin_change_includes may be used: the route reads FROM /twinChangeNotifications. */
    private final boolean twinAllowed;

    Compiler(String route, boolean twinAllowed) {
        this.route = route;
        this.twinAllowed = twinAllowed;
    }

    private RouteCompileException error(Node at, String reason) {
        return new RouteCompileException(route, at.token().column(), reason);
    }

    /** Compiles a whole condition: Outpost refuses one that is a number or a string (edgeHub never takes it). */
    Expr condition(Node n) throws RouteCompileException {
        Expr e = compile(n);
        if (e.type() == Type.NUMBER || e.type() == Type.STRING) {
            throw new RouteCompileException(route, n.token().column(), "the condition must be true or false, but '"
                    + n.text() + "' is a " + e.type() + " (edgeHub would never take the route)");
        }
        return e;
    }

    Expr compile(Node n) throws RouteCompileException {
        return switch (n.kind()) {
            case LITERAL -> literal(n);
            case PROPERTY -> new Expr.AppProperty(n.token().text(), n.text());
            case SYS_PROP -> property(n, true);
            case SYS_PROP_ESCAPED -> property(n, false);
            case CALL -> call(n);
            case UNARY -> unary(n);
            case BINARY -> binary(n);
            case ERROR -> {
                for (Node kid : n.kids()) {
                    compile(kid);
                }
                throw syntaxError(n);
            }
        };
    }

    private RouteCompileException syntaxError(Node n) {
        return switch (n.token().kind()) {
            case CLOSE -> error(n, "unmatched closing ')'");
            case UNTERMINATED_STRING -> error(n, "string " + n.token().text() + " has no closing quote (or a bad"
                    + " escape: use \\\" \\' \\\\ or \\uXXXX)");
            default -> error(n, "unrecognized symbol '" + n.token().text() + "'");
        };
    }

    private static Expr undefinedLiteral(String text) {
        return new Expr.Literal(Value.UNDEFINED, Type.UNDEFINED, text);
    }

    private Expr literal(Node n) {
        String t = n.token().text();
        switch (n.token().kind()) {
            case TRUE, FALSE -> {
                return new Expr.Literal(Ops.tri(n.token().is(Kind.TRUE)), Type.BOOL, t);
            }
            case NULL -> {
                return new Expr.Literal(Value.NULL, Type.NULL, t);
            }
            case UNDEFINED -> {
                return undefinedLiteral(t);
            }
            case HEX -> {
                try {
                    return new Expr.Literal((double) Long.parseUnsignedLong(t.substring(2), 16), Type.NUMBER, t);
                } catch (NumberFormatException tooLarge) {
                    return undefinedLiteral(t);
                }
            }
            case INTEGER, REAL -> {
                try {
                    return new Expr.Literal(Double.parseDouble(t), Type.NUMBER, t);
                } catch (NumberFormatException notANumber) {
                    // "e5": a REAL token without digits before its exponent; .NET cannot parse it either.
                    return undefinedLiteral(t);
                }
            }
            default -> {
                return new Expr.Literal(unescape(t.substring(1, t.length() - 1)), Type.STRING, t);
            }
        }
    }

    /** edgeHub's unescaping: first every backslash-u escape, then backslash-quote and backslash-backslash. */
    static String unescape(String s) {
        Matcher u = UNICODE_ESCAPE.matcher(s);
        StringBuilder first = new StringBuilder();
        while (u.find()) {
            u.appendReplacement(first, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(u.group(1),
                    16))));
        }
        u.appendTail(first);
        Matcher c = CHAR_ESCAPE.matcher(first);
        StringBuilder second = new StringBuilder();
        while (c.find()) {
            c.appendReplacement(second, Matcher.quoteReplacement(c.group(1)));
        }
        c.appendTail(second);
        return second.toString();
    }

    private Expr property(Node n, boolean appFirst) throws RouteCompileException {
        String text = n.token().text();
        boolean brackets = text.contains("[") || text.contains("]");
        if (text.regionMatches(true, 0, "$body.", 0, 6)) {
            String path = text.substring(6);
            String problem = JsonPaths.problem(path);
            if (problem != null) {
                throw error(n, "$body query " + text + " is not supported: " + problem + " (write $body.a.b[0].c)");
            }
            return new Expr.BodyQuery(path, appFirst && !brackets ? text : null, n.text());
        }
        if (brackets) {
            return undefinedLiteral(n.text());
        }
        return new Expr.SysProperty(text.substring(1), appFirst, n.text());
    }

    private Expr unary(Node n) throws RouteCompileException {
        Expr operand = compile(n.kids().get(0));
        Type t = operand.type();
        if (n.token().is(Kind.MINUS)) {
            if (t == Type.NUMBER) {
                return new Expr.Negate(operand, n.text());
            }
            throw error(n, t == Type.BODY ? "unary - is not defined for a $body value in edgeHub; write 0 - "
                    + operand.text() : "unary - needs a number, but '" + operand.text() + "' is a " + t);
        }
        if (t == Type.BOOL || t == Type.NULL || t == Type.BODY) {
            return new Expr.Not(operand, n.text());
        }
        throw error(n, "NOT needs true or false, but '" + operand.text() + "' is a " + t);
    }

    /**
     * Compiles a binary node and the binary nodes down its left side without recursing into them: a chain such as
     * {@code a AND b AND ... AND z} (left-nested, hundreds of terms long in a 4 KB twin value) stays off the stack.
     */
    private Expr binary(Node n) throws RouteCompileException {
        java.util.ArrayDeque<Node> spine = new java.util.ArrayDeque<>();
        Node bottom = n;
        while (bottom.kind() == Node.Kind.BINARY) {
            spine.push(bottom);
            bottom = bottom.kids().get(0);
        }
        Expr l = compile(bottom);
        while (!spine.isEmpty()) {
            Node b = spine.pop();
            l = combine(b, l, compile(b.kids().get(1)));
        }
        return l;
    }

    private Expr combine(Node n, Expr l, Expr r) throws RouteCompileException {
        Kind op = n.token().kind();
        Type lt = l.type();
        Type rt = r.type();
        boolean body = lt == Type.BODY || rt == Type.BODY;
        String name = n.token().text().toUpperCase(java.util.Locale.ROOT);
        switch (op) {
            case PLUS, MINUS, MUL, DIV, MOD -> {
                for (Expr e : List.of(l, r)) {
                    if (!e.type().matches(Type.NUMBER, true)) {
                        throw error(n, "operator " + name + " needs numbers, but '" + e.text() + "' is a " + e.type()
                                + (e.type() == Type.STRING ? " (use as_number(" + e.text() + "))" : ""));
                    }
                }
                if (body && op == Kind.MOD) {
                    throw error(n, "operator % is not defined for a $body value in edgeHub (which refuses the route)");
                }
                return body ? new Expr.Arithmetic(op, Expr.ToBody.of(l), Expr.ToBody.of(r), n.text())
                        : new Expr.Arithmetic(op, l, r, n.text());
            }
            case CONCAT -> {
                for (Expr e : List.of(l, r)) {
                    if (!e.type().matches(Type.STRING, true)) {
                        throw error(n, "operator || joins strings, but '" + e.text() + "' is a " + e.type());
                    }
                }
                return call(Function.CONCAT, n, List.of(l, r));
            }
            case AND, OR -> {
                // edgeHub tests the left operand's type where it means the right one's: a $body value on the left
                // lets anything on the right through, and one on the right alone is refused.
                if (!LOGICAL.contains(lt) || !(LOGICAL.contains(rt) && rt != Type.BODY || lt == Type.BODY)) {
                    throw error(n, "operator " + name + " needs true or false on both sides (a $body value only on"
                            + " the left, as in edgeHub), but got " + lt + " " + name + " " + rt);
                }
                boolean nullResult = op == Kind.AND ? lt == Type.NULL || rt == Type.NULL
                        : lt == Type.NULL && rt == Type.NULL;
                Type type = nullResult ? Type.NULL : Type.BOOL;
                if (lt == Type.BODY) {
                    if (nullResult) {
                        throw error(n, "a $body value AND null cannot be evaluated in edgeHub, which refuses it");
                    }
                    return new Expr.Logical(op, l, Expr.ToBody.of(r), type, n.text());
                }
                if (lt == Type.UNDEFINED && rt == Type.NULL || lt == Type.NULL && rt == Type.UNDEFINED) {
                    throw error(n, "operator " + name + " is not defined between undefined and null in edgeHub");
                }
                return new Expr.Logical(op, l, r, type, n.text());
            }
            default -> {
                if (!(lt == rt || rt == Type.BODY && lt.bodyCompatible() || lt == Type.BODY && rt.bodyCompatible())) {
                    String hint = (lt == Type.STRING && rt == Type.NUMBER) || (lt == Type.NUMBER && rt == Type.STRING)
                            ? " (use as_number(" + (lt == Type.STRING ? l : r).text() + "))" : "";
                    throw error(n, (op == Kind.COALESCE ? "operator ?? needs operands of one type, but got " + lt
                            + " and " + rt : "cannot compare " + lt + " with " + rt) + hint);
                }
                if (body) {
                    l = Expr.ToBody.of(l);
                    r = Expr.ToBody.of(r);
                }
                if (op == Kind.COALESCE) {
                    return lt == Type.UNDEFINED ? r : new Expr.Coalesce(l, r, n.text());
                }
                return new Expr.Comparison(op, l, r, n.text());
            }
        }
    }

    private Expr call(Node n) throws RouteCompileException {
        Function f = Function.named(n.token().text()).orElseThrow(() -> error(n, "unknown function '"
                + n.token().text() + "'"));
        if (f == Function.TWIN_CHANGE_INCLUDES) {
            return twinChangeIncludes(n);
        }
        List<Expr> args = new ArrayList<>();
        for (Node a : n.kids()) {
            args.add(compile(a));
        }
        return call(f, n, args);
    }

    private Expr call(Function f, Node n, List<Expr> args) throws RouteCompileException {
        List<Type> types = args.stream().map(Expr::type).toList();
        for (Function.Overload o : f.overloads()) {
            if (o.fits(types)) {
                List<Expr> converted = o.bodyValues() ? args.stream().map(Expr.ToBody::of).toList() : args;
                return new Expr.Call(f, o, converted, n.text());
            }
        }
        String wanted = f.overloads().stream().map(Function.Overload::signature).collect(Collectors.joining(" or "));
        String given = types.stream().map(Type::toString).collect(Collectors.joining(", "));
        throw error(n, f.label() + " takes " + wanted + ", not (" + given + ")");
    }

    private Expr twinChangeIncludes(Node n) throws RouteCompileException {
        if (!twinAllowed) {
            throw error(n, "twin_change_includes works only on FROM /twinChangeNotifications");
        }
        List<Node> args = n.kids();
        String path;
        if (args.size() == 1 && args.get(0).kind() == Node.Kind.LITERAL && args.get(0).token().is(Kind.STRING)) {
            // Outpost's extension: the path quoted, as earlier Outpost versions wrote it.
            String quoted = args.get(0).token().text();
            path = unescape(quoted.substring(1, quoted.length() - 1));
        } else {
            path = args.stream().map(Node::tokenText).collect(Collectors.joining(","));
        }
        String problem = JsonPaths.twinProblem(path);
        if (problem != null) {
            throw error(n, "twin_change_includes(" + path + "): " + problem + " (write e.g."
                    + " twin_change_includes(properties.reported.temperature))");
        }
        return new Expr.TwinChangeIncludes(path, n.text());
    }
}
