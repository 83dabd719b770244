/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.ArrayList;
import java.util.List;

import org.outpost.routelanguage.Token.Kind;

/**
 * A recursive-descent parser of conditions that checks types as it builds the expression. Precedence, loosest first:
 * {@code ??}, {@code OR}, {@code AND}, {@code = != <>}, {@code < <= > >=}, {@code + - ||}, {@code * / %}, unary
 * {@code - NOT}, then primaries. Parentheses, unary operators and function calls nest at most {@value #MAX_DEPTH}
 * deep: a deeper condition is refused at the column where it goes too deep (never a stack overflow).
 */
final class Parser {

    /** How deep parentheses, unary operators and function calls may nest. */
    static final int MAX_DEPTH = 64;

    private final String route;
    private final String text;
    private final List<Token> tokens;
    private int next;
    /** Parentheses, unary operators and calls open around the parser now. */
    private int depth;

    /**
     * @param route the route name for messages, or null
     * @param text the whole text the tokens come from
     */
    Parser(String route, String text) {
        this.route = route;
        this.text = text;
        this.tokens = new Lexer(text).tokens();
    }

    /** One level deeper, at {@code at}; refused past {@link #MAX_DEPTH}. Each call is matched by {@link #out()}. */
    private void in(Token at) throws RouteCompileException {
        if (++depth > MAX_DEPTH) {
            throw error(at, "parentheses, NOT, unary - and function calls nest deeper than " + MAX_DEPTH
                    + " levels here; write the condition with fewer levels");
        }
    }

    private void out() {
        depth--;
    }

    Token peek() {
        return tokens.get(next);
    }

    Token take() {
        return tokens.get(next++);
    }

    RouteCompileException error(Token at, String reason) {
        return new RouteCompileException(route, at.column(), reason);
    }

    /**
     * Parses a whole condition, which must be a boolean expression and end at {@code end} (INTO in a route, the end of
     * the text for a condition alone).
     */
    Expr condition(Kind end) throws RouteCompileException {
        Token first = peek();
        if (first.is(Kind.EOF) || first.is(Kind.INTO)) {
            throw error(first, "WHERE needs a condition");
        }
        Expr e = coalesce();
        Token after = peek();
        if (!after.is(end)) {
            throw error(after, end == Kind.EOF ? "unexpected '" + after.text() + "' after the condition"
                    : after.is(Kind.EOF) ? "the route needs INTO <sink> at the end"
                    : "expected INTO <sink> or an operator, found '" + after.text() + "'");
        }
        if (!e.type().fits(Type.BOOL)) {
            throw error(first, "the condition must be true or false, but '" + e.text() + "' is a " + e.type());
        }
        return e;
    }

    private Expr coalesce() throws RouteCompileException {
        int start = next;
        Expr left = or();
        while (peek().is(Kind.COALESCE)) {
            take();
            Expr right = or();
            Type t = left.type() == right.type() ? left.type() : Type.ANY;
            left = new Expr.Binary(Kind.COALESCE, left, right, t, textFrom(start));
        }
        return left;
    }

    private Expr or() throws RouteCompileException {
        int start = next;
        Expr left = and();
        while (peek().is(Kind.OR)) {
            Token op = take();
            Expr right = and();
            left = logical(op, left, right, textFrom(start));
        }
        return left;
    }

    private Expr and() throws RouteCompileException {
        int start = next;
        Expr left = equality();
        while (peek().is(Kind.AND)) {
            Token op = take();
            Expr right = equality();
            left = logical(op, left, right, textFrom(start));
        }
        return left;
    }

    private Expr logical(Token op, Expr left, Expr right, String source) throws RouteCompileException {
        for (Expr e : List.of(left, right)) {
            if (!e.type().fits(Type.BOOL)) {
                throw error(op, "operator " + op.text().toUpperCase(java.util.Locale.ROOT) + " needs true or false on"
                        + " both sides, but '" + e.text() + "' is a " + e.type());
            }
        }
        return new Expr.Binary(op.kind(), left, right, Type.BOOL, source);
    }

    private Expr equality() throws RouteCompileException {
        int start = next;
        Expr left = relational();
        while (peek().is(Kind.EQ) || peek().is(Kind.NE)) {
            Token op = take();
            Expr right = relational();
            checkComparable(op, left, right, false);
            left = new Expr.Binary(op.kind(), left, right, Type.BOOL, textFrom(start));
        }
        return left;
    }

    private Expr relational() throws RouteCompileException {
        int start = next;
        Expr left = additive();
        while (peek().is(Kind.LT) || peek().is(Kind.LE) || peek().is(Kind.GT) || peek().is(Kind.GE)) {
            Token op = take();
            Expr right = additive();
            checkComparable(op, left, right, true);
            left = new Expr.Binary(op.kind(), left, right, Type.BOOL, textFrom(start));
        }
        return left;
    }

    private void checkComparable(Token op, Expr left, Expr right, boolean ordered) throws RouteCompileException {
        Type l = left.type();
        Type r = right.type();
        if (ordered && (l == Type.BOOL || r == Type.BOOL)) {
            throw error(op, "operator " + op.text() + " orders numbers or strings, not true/false");
        }
        if (l.fits(r) || r.fits(l)) {
            return;
        }
        Expr stringSide = l == Type.STRING ? left : right;
        String hint = (l == Type.STRING && r == Type.NUMBER) || (l == Type.NUMBER && r == Type.STRING)
                ? " (use as_number(" + stringSide.text() + "))" : "";
        throw error(op, "cannot compare " + l + " with " + r + hint);
    }

    private Expr additive() throws RouteCompileException {
        int start = next;
        Expr left = multiplicative();
        while (peek().is(Kind.PLUS) || peek().is(Kind.MINUS) || peek().is(Kind.CONCAT)) {
            Token op = take();
            Expr right = multiplicative();
            left = arithmetic(op, left, right, textFrom(start));
        }
        return left;
    }

    private Expr multiplicative() throws RouteCompileException {
        int start = next;
        Expr left = unary();
        while (peek().is(Kind.MUL) || peek().is(Kind.DIV) || peek().is(Kind.MOD)) {
            Token op = take();
            Expr right = unary();
            left = arithmetic(op, left, right, textFrom(start));
        }
        return left;
    }

    private Expr arithmetic(Token op, Expr left, Expr right, String source) throws RouteCompileException {
        Type wanted = op.is(Kind.CONCAT) ? Type.STRING : Type.NUMBER;
        for (Expr e : List.of(left, right)) {
            if (!e.type().fits(wanted)) {
                String hint = wanted == Type.NUMBER && e.type() == Type.STRING ? " (use as_number(" + e.text() + "))"
                        : wanted == Type.STRING ? " (|| joins strings)" : "";
                throw error(op, "operator " + op.text() + " needs " + (wanted == Type.NUMBER ? "numbers" : "strings")
                        + ", but '" + e.text() + "' is a " + e.type() + hint);
            }
        }
        return new Expr.Binary(op.kind(), left, right, wanted, source);
    }

    private Expr unary() throws RouteCompileException {
        int start = next;
        Token t = peek();
        if (t.is(Kind.MINUS) || t.is(Kind.NOT)) {
            take();
            in(t);
            Expr operand = unary();
            out();
            Type wanted = t.is(Kind.NOT) ? Type.BOOL : Type.NUMBER;
            if (!operand.type().fits(wanted)) {
                throw error(t, (t.is(Kind.NOT) ? "NOT needs true or false" : "unary - needs a number") + ", but '"
                        + operand.text() + "' is a " + operand.type());
            }
            return new Expr.Unary(t.kind(), operand, textFrom(start));
        }
        return primary();
    }

    private Expr primary() throws RouteCompileException {
        int start = next;
        Token t = take();
        switch (t.kind()) {
            case OPEN -> {
                in(t);
                Expr e = coalesce();
                expect(Kind.CLOSE, "a closing ')'");
                out();
                return e;
            }
            case TRUE, FALSE -> {
                return new Expr.Literal(t.is(Kind.TRUE), Type.BOOL, t.text());
            }
            case NULL -> {
                return new Expr.Literal(Value.NULL, Type.NULL, t.text());
            }
            case UNDEFINED -> {
                return new Expr.Literal(Value.UNDEFINED, Type.UNDEFINED, t.text());
            }
            case INTEGER, REAL -> {
                return new Expr.Literal(Double.parseDouble(t.text()), Type.NUMBER, t.text());
            }
            case HEX -> {
                try {
                    return new Expr.Literal((double) Long.parseLong(t.text().substring(2), 16), Type.NUMBER, t.text());
                } catch (NumberFormatException e) {
                    throw error(t, "hex number " + t.text() + " is too large");
                }
            }
            case STRING -> {
                return new Expr.Literal(Lexer.unquote(t.text()), Type.STRING, t.text());
            }
            case UNTERMINATED_STRING -> throw error(t, "string " + t.text() + " has no closing quote (or a bad"
                    + " escape: use \\\" \\' \\\\ or \\uXXXX)");
            case SYS_PROP -> {
                return property(t, t.text().substring(1), true, t.text());
            }
            case OPEN_BRACE -> {
                Token p = take();
                if (!p.is(Kind.SYS_PROP)) {
                    throw error(p, "expected a system property such as {$contentType} inside { }");
                }
                expect(Kind.CLOSE_BRACE, "a closing '}'");
                return property(p, p.text().substring(1), false, textFrom(start));
            }
            case ID -> {
                if (peek().is(Kind.OPEN)) {
                    return call(t, start);
                }
                return new Expr.AppProperty(t.text(), t.text());
            }
            case EOF, INTO -> throw error(t, "the condition ends too early: an operand is missing");
            default -> throw error(t, "unexpected '" + t.text() + "'");
        }
    }

    private Expr property(Token t, String name, boolean appFirst, String source) throws RouteCompileException {
        if (name.equalsIgnoreCase("body") || name.regionMatches(true, 0, "body.", 0, 5)
                || name.regionMatches(true, 0, "body[", 0, 5)) {
            return new Expr.BodyQuery(name, bodyPath(t, name.substring(4)), appFirst, source);
        }
        return new Expr.SysProperty(name, appFirst, source);
    }

    /** Parses {@code .a.b[2].c} into steps. */
    private List<Object> bodyPath(Token t, String path) throws RouteCompileException {
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                if (j == i + 1) {
                    throw error(t, "$body query " + t.text() + " has an empty field name");
                }
                steps.add(path.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                String index = close < 0 ? "" : path.substring(i + 1, close);
                if (!index.matches("[0-9]{1,9}")) {
                    throw error(t, "$body query " + t.text() + " needs an array index such as [0]");
                }
                steps.add(Integer.parseInt(index));
                i = close + 1;
            } else {
                throw error(t, "$body query " + t.text() + " must continue with .field or [index]");
            }
        }
        return steps;
    }

    private Expr call(Token name, int start) throws RouteCompileException {
        Function f = Function.named(name.text()).orElseThrow(() -> error(name, "unknown function '" + name.text()
                + "'"));
        take();
        in(name);
        List<Expr> args = new ArrayList<>();
        if (!peek().is(Kind.CLOSE)) {
            args.add(coalesce());
            while (peek().is(Kind.COMMA)) {
                take();
                args.add(coalesce());
            }
        }
        expect(Kind.CLOSE, "',' or ')' after the arguments of " + f.label());
        out();
        if (args.size() < f.minArgs() || args.size() > f.maxArgs()) {
            String count = f.minArgs() == f.maxArgs() ? Integer.toString(f.minArgs())
                    : f.maxArgs() == Integer.MAX_VALUE ? "at least " + f.minArgs()
                    : f.minArgs() + " or " + f.maxArgs();
            throw error(name, f.label() + " takes " + count + " argument" + (count.equals("1") ? "" : "s") + ", got "
                    + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            Type wanted = f.param(i);
            if (wanted != null && !args.get(i).type().fits(wanted)) {
                String hint = wanted == Type.NUMBER && args.get(i).type() == Type.STRING
                        ? " (use as_number(" + args.get(i).text() + "))" : "";
                throw error(name, f.label() + " argument " + (i + 1) + " must be a " + wanted + ", but '"
                        + args.get(i).text() + "' is a " + args.get(i).type() + hint);
            }
        }
        return new Expr.Call(f, List.copyOf(args), textFrom(start));
    }

    Token expect(Kind kind, String what) throws RouteCompileException {
        Token t = take();
        if (!t.is(kind)) {
            throw error(t, "expected " + what + ", found " + (t.is(Kind.EOF) ? "the end" : "'" + t.text() + "'"));
        }
        return t;
    }

    /** @return the source text from token {@code start} to the last token taken */
    private String textFrom(int start) {
        Token first = tokens.get(start);
        Token last = tokens.get(next - 1);
        return text.substring(first.column() - 1, last.column() - 1 + last.text().length());
    }
}
