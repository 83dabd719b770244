/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.query;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import org.outpost.hub.query.Nodes.And;
import org.outpost.hub.query.Nodes.Compare;
import org.outpost.hub.query.Nodes.Defined;
import org.outpost.hub.query.Nodes.In;
import org.outpost.hub.query.Nodes.Node;
import org.outpost.hub.query.Nodes.Not;
import org.outpost.hub.query.Nodes.Op;
import org.outpost.hub.query.Nodes.Or;

/**
 * A condition over a device twin in IoT Hub's query syntax, as deployment target conditions and twin queries use it:
 * <pre>
 * tags.site = 'plant-1' AND tags.env IN ['prod', 'stage']
 * deviceId = 'gw-7' OR (properties.reported.firmware &lt; '2.0' AND NOT tags.pilot = true)
 * </pre>
 * Paths name a value in the device's twin document ({@code deviceId}, {@code tags.x}, {@code properties.desired.x},
 * {@code properties.reported.x}); comparisons are {@code = != <> < <= > >=}, {@code IN [...]} and {@code NOT IN
 * [...]}; values are strings in single or double quotes, numbers, {@code true}, {@code false} and {@code null};
 * {@code AND}, {@code OR}, {@code NOT} (any case) and parentheses combine them. A path that names nothing compares as
 * false (so {@code tags.x != 'a'} is false for a device without {@code tags.x}), as in IoT Hub; {@code IS_DEFINED(path)}
 * tests whether it names something. Parentheses and {@code NOT} nest at most {@value #MAX_DEPTH} deep (a deeper
 * condition is refused with the column where it goes too deep); {@code AND} and {@code OR} chains of any length are
 * tested without nesting. Immutable and thread-safe.
 */
public final class Condition {

    /** How deep parentheses and {@code NOT} may nest. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private final Node root;

    private Condition(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * @param text the condition
     * @return it, parsed
     * @throws ConditionException saying where and what is wrong
     */
    public static Condition parse(String text) {
        Objects.requireNonNull(text, "text");
        Parser p = new Parser(text);
        Node root = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("expected AND, OR or the end, found '" + p.rest() + "'");
        }
        return new Condition(text, root);
    }

    /**
     * @param twin the device's twin document: {@code {"deviceId": ..., "tags": {...}, "properties": {"desired": {...},
     *            "reported": {...}}}}
     * @return whether the condition holds for it
     */
    public boolean test(JsonNode twin) {
        return root.test(twin);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Recursive descent over the text; every error names its column. */
    private static final class Parser {
        private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

        private final String s;
        private int pos;
        /** Parentheses and NOTs open around the parser now. */
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Node or() {
            List<Node> terms = new ArrayList<>(List.of(and()));
            while (keyword("OR")) {
                terms.add(and());
            }
            return terms.size() == 1 ? terms.get(0) : new Or(List.copyOf(terms));
        }

        Node and() {
            List<Node> terms = new ArrayList<>(List.of(not()));
            while (keyword("AND")) {
                terms.add(not());
            }
            return terms.size() == 1 ? terms.get(0) : new And(List.copyOf(terms));
        }

        Node not() {
            int at = pos;
            if (keyword("NOT")) {
                deeper(at);
                Node inner = new Not(not());
                depth--;
                return inner;
            }
            return primary();
        }

        /** One level deeper, at the NOT or '(' that starts at {@code at}; refused past {@link #MAX_DEPTH}. */
        private void deeper(int at) {
            if (++depth > MAX_DEPTH) {
                throw new ConditionException(at + 1 + leadingSpace(at), "parentheses and NOT nest deeper than "
                        + MAX_DEPTH + " levels here; write the condition with fewer levels");
            }
        }

        private int leadingSpace(int at) {
            int n = 0;
            while (at + n < s.length() && Character.isWhitespace(s.charAt(at + n))) {
                n++;
            }
            return n;
        }

        Node primary() {
            skipSpace();
            if (eat('(')) {
                deeper(pos - 1);
                Node inner = or();
                skipSpace();
                if (!eat(')')) {
                    throw error("expected ')' to close the '(' before it, found " + found());
                }
                depth--;
                return inner;
            }
            int at = pos;
            if (keyword("IS_DEFINED")) {
                skipSpace();
                if (!eat('(')) {
                    throw error("expected '(' after IS_DEFINED");
                }
                String[] path = path();
                skipSpace();
                if (!eat(')')) {
                    throw error("expected ')' after the path of IS_DEFINED");
                }
                return new Defined(path);
            }
            pos = at;
            String[] path = path();
            skipSpace();
            int opAt = pos;
            if (keyword("NOT")) {
                if (!keyword("IN")) {
                    throw error("expected IN after NOT");
                }
                return new In(path, list(), true);
            }
            if (keyword("IN")) {
                return new In(path, list(), false);
            }
            pos = opAt;
            Op op = op();
            return new Compare(path, op, value());
        }

        String[] path() {
            skipSpace();
            List<String> steps = new ArrayList<>();
            do {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || "_-$".indexOf(s.charAt(pos))
                        >= 0)) {
                    pos++;
                }
                if (start == pos) {
                    throw error(steps.isEmpty() ? "expected a path such as tags.site or deviceId, found " + found()
                            : "expected a name after '.', found " + found());
                }
                steps.add(s.substring(start, pos));
            } while (eat('.'));
            return steps.toArray(String[]::new);
        }

        Op op() {
            skipSpace();
            for (String symbol : new String[] {"!=", "<>", "<=", ">=", "=", "<", ">"}) {
                if (s.startsWith(symbol, pos)) {
                    pos += symbol.length();
                    return switch (symbol) {
                        case "!=", "<>" -> Op.NE;
                        case "<=" -> Op.LE;
                        case ">=" -> Op.GE;
                        case "=" -> Op.EQ;
                        case "<" -> Op.LT;
                        default -> Op.GT;
                    };
                }
            }
            throw error("expected a comparison (= != <> < <= > >=, IN or NOT IN), found " + found());
        }

        List<JsonNode> list() {
            skipSpace();
            if (!eat('[')) {
                throw error("expected '[' to start the list of IN, found " + found());
            }
            List<JsonNode> values = new ArrayList<>();
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                throw error("an IN list needs at least one value");
            }
            do {
                values.add(value());
                skipSpace();
            } while (eat(','));
            if (!eat(']')) {
                throw error("expected ',' or ']' in the list of IN, found " + found());
            }
            return List.copyOf(values);
        }

        JsonNode value() {
            skipSpace();
            if (pos < s.length() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                char quote = s.charAt(pos);
                int start = ++pos;
                StringBuilder out = new StringBuilder();
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == quote) {
                        if (pos < s.length() && s.charAt(pos) == quote) {
                            out.append(quote); // a doubled quote stands for itself
                            pos++;
                            continue;
                        }
                        return NODES.textNode(out.toString());
                    }
                    out.append(c);
                }
                pos = start - 1;
                throw error("this string has no closing " + quote);
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || ".-+".indexOf(s.charAt(pos))
                    >= 0)) {
                pos++;
            }
            String word = s.substring(start, pos);
            switch (word.toLowerCase(Locale.ROOT)) {
                case "true":
                    return NODES.booleanNode(true);
                case "false":
                    return NODES.booleanNode(false);
                case "null":
                    return NODES.nullNode();
                default:
                    break;
            }
            try {
                return NODES.numberNode(new BigDecimal(word));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected a value ('text', a number, true, false or null), found " + found());
            }
        }

        boolean keyword(String word) {
            skipSpace();
            int end = pos + word.length();
            if (end <= s.length() && s.regionMatches(true, pos, word, 0, word.length())
                    && (end == s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))) {
                pos = end;
                return true;
            }
            return false;
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String rest() {
            return s.substring(pos);
        }

        String found() {
            return pos >= s.length() ? "the end" : "'" + s.substring(pos, Math.min(s.length(), pos + 20)) + "'";
        }

        ConditionException error(String reason) {
            return new ConditionException(pos + 1, reason);
        }
    }
}
