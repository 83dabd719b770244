/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.outpost.routelanguage.Token.Kind;

/**
 * A recursive-descent parser of conditions with edgeHub's grammar (its ANTLR {@code Condition.g4}); it builds a
 * syntax tree and checks no types ({@link Compiler} does). Precedence, loosest first: {@code ??}, {@code OR},
 * {@code AND}, {@code = != <>}, {@code < <= > >=}, {@code + - ||}, {@code * / %}, unary {@code - NOT}, then primaries.
 * Like edgeHub, a condition on its own ends where no operator continues it (the rest is ignored); in a route it must
 * end at {@code INTO}. Parentheses, unary operators and function calls nest at most {@value #MAX_DEPTH} deep: a
 * deeper condition is refused at the column where it goes too deep (never a stack overflow).
 */
final class Parser {

    /** How deep parentheses, unary operators and function calls may nest. */
    static final int MAX_DEPTH = 64;

    private static final Set<Kind> STARTS = EnumSet.of(Kind.OPEN, Kind.TRUE, Kind.FALSE, Kind.STRING,
            Kind.UNTERMINATED_STRING, Kind.INTEGER, Kind.HEX, Kind.REAL, Kind.NULL, Kind.UNDEFINED, Kind.SYS_PROP,
            Kind.ID, Kind.OPEN_BRACE, Kind.MINUS, Kind.NOT, Kind.UNKNOWN);

    private static final List<Set<Kind>> LEVELS = List.of(EnumSet.of(Kind.COALESCE), EnumSet.of(Kind.OR),
            EnumSet.of(Kind.AND), EnumSet.of(Kind.EQ, Kind.NE), EnumSet.of(Kind.LT, Kind.LE, Kind.GT, Kind.GE),
            EnumSet.of(Kind.PLUS, Kind.MINUS, Kind.CONCAT), EnumSet.of(Kind.MUL, Kind.DIV, Kind.MOD));

    private final String route;
    private final String text;
    private final List<Token> tokens;
    private int next;
    /** Parentheses, unary operators and calls open around the parser now. */
    private int depth;
    /** Parentheses and calls open around the parser now: a ')' after a closed one at 0 is unmatched. */
    private int enclosing;

    /**
     * @param route the route name for messages, or null
     * @param text the whole text the tokens come from
     */
    Parser(String route, String text) {
        this.route = route;
        this.text = text;
        this.tokens = new Lexer(text).tokens();
    }

    String route() {
        return route;
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

    private Token peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    Token take() {
        return tokens.get(next++);
    }

    RouteCompileException error(Token at, String reason) {
        return new RouteCompileException(route, at.column(), reason);
    }

    /**
     * Parses a whole condition: in a route it must end at {@code INTO}; on its own ({@code end} EOF) it ends where no
     * operator continues it, as in edgeHub.
     */
    Node condition(Kind end) throws RouteCompileException {
        Token first = peek();
        if (first.is(Kind.EOF) || first.is(Kind.INTO)) {
            throw error(first, "WHERE needs a condition (write true to take every message)");
        }
        Node e = expression();
        Token after = peek();
        if (end == Kind.INTO && !after.is(Kind.INTO)) {
            throw error(after, after.is(Kind.EOF) ? "the route needs INTO <sink> at the end"
                    : "expected INTO <sink> or an operator, found '" + after.text() + "'");
        }
        return e;
    }

    private Node expression() throws RouteCompileException {
        return binary(0);
    }

    private Node binary(int level) throws RouteCompileException {
        if (level == LEVELS.size()) {
            return unary();
        }
        int start = next;
        Node left = binary(level + 1);
        while (true) {
            Token op = peek();
            boolean syntaxError = level == 0 && op.is(Kind.UNKNOWN) && STARTS.contains(peek(1).kind());
            if (!syntaxError && !LEVELS.get(level).contains(op.kind())) {
                return left;
            }
            take();
            Node right = binary(level + 1);
            left = node(syntaxError ? Node.Kind.ERROR : Node.Kind.BINARY, op, List.of(left, right), start);
        }
    }

    private Node unary() throws RouteCompileException {
        int start = next;
        Token t = peek();
        if (t.is(Kind.MINUS) || t.is(Kind.NOT)) {
            take();
            in(t);
            Node operand = unary();
            out();
            return node(Node.Kind.UNARY, t, List.of(operand), start);
        }
        return primary();
    }

    private Node primary() throws RouteCompileException {
        int start = next;
        Token t = take();
        switch (t.kind()) {
            case OPEN -> {
                in(t);
                enclosing++;
                Node e = expression();
                expect(Kind.CLOSE, "a closing ')'");
                enclosing--;
                out();
                return extraParenthesis(e, start);
            }
            case TRUE, FALSE, NULL, UNDEFINED, INTEGER, HEX, REAL, STRING -> {
                return node(Node.Kind.LITERAL, t, List.of(), start);
            }
            case UNTERMINATED_STRING -> {
                return node(Node.Kind.ERROR, t, List.of(), start);
            }
            case SYS_PROP -> {
                return node(Node.Kind.SYS_PROP, t, List.of(), start);
            }
            case OPEN_BRACE -> {
                Token p = take();
                if (!p.is(Kind.SYS_PROP)) {
                    throw error(p, "expected a system property such as {$contentType} inside { }");
                }
                expect(Kind.CLOSE_BRACE, "a closing '}'");
                return node(Node.Kind.SYS_PROP_ESCAPED, p, List.of(), start);
            }
            case ID -> {
                return peek().is(Kind.OPEN) ? call(t, start) : node(Node.Kind.PROPERTY, t, List.of(), start);
            }
            case UNKNOWN -> {
                List<Node> operand = STARTS.contains(peek().kind()) ? List.of(expression()) : List.of();
                return node(Node.Kind.ERROR, t, operand, start);
            }
            case EOF, INTO -> throw error(t, "the condition ends too early: an operand is missing");
            default -> throw error(t, "unexpected '" + t.text() + "'");
        }
    }

    private Node call(Token name, int start) throws RouteCompileException {
        take();
        in(name);
        enclosing++;
        List<Node> args = new ArrayList<>();
        if (!peek().is(Kind.CLOSE)) {
            args.add(expression());
            while (peek().is(Kind.COMMA)) {
                take();
                args.add(expression());
            }
        }
        expect(Kind.CLOSE, "',' or ')' after the arguments of " + name.text());
        enclosing--;
        out();
        return extraParenthesis(node(Node.Kind.CALL, name, List.copyOf(args), start), start);
    }

    /** edgeHub's grammar takes {@code (x))} and {@code f(x))} as one expression, which its compiler refuses. */
    private Node extraParenthesis(Node e, int start) {
        if (enclosing == 0 && peek().is(Kind.CLOSE)) {
            Token paren = take();
            return node(Node.Kind.ERROR, paren, List.of(e), start);
        }
        return e;
    }

    Token expect(Kind kind, String what) throws RouteCompileException {
        Token t = take();
        if (!t.is(kind)) {
            throw error(t, "expected " + what + ", found " + (t.is(Kind.EOF) ? "the end" : "'" + t.text() + "'"));
        }
        return t;
    }

    private Node node(Node.Kind kind, Token token, List<Node> kids, int start) {
        StringBuilder joined = new StringBuilder();
        for (int i = start; i < next; i++) {
            joined.append(tokens.get(i).text());
        }
        Token first = tokens.get(start);
        Token last = tokens.get(next - 1);
        String source = text.substring(first.column() - 1, last.column() - 1 + last.text().length());
        return new Node(kind, token, kids, source, joined.toString());
    }
}
