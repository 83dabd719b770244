/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.query;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts of a parsed {@link Condition}: comparisons and the operators that combine them. */
final class Nodes {

    private Nodes() {
    }

    interface Node {
        boolean test(JsonNode twin);
    }

    enum Op {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    record Compare(String[] path, Op op, JsonNode value) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            JsonNode actual = resolve(twin, path);
            if (actual == null) {
                return false;
            }
            if (op == Op.EQ || op == Op.NE) {
                return same(actual, value) == (op == Op.EQ);
            }
            Integer c = compare(actual, value);
            if (c == null) {
                return false;
            }
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                default -> c >= 0;
            };
        }
    }

    record In(String[] path, List<JsonNode> values, boolean negated) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            JsonNode actual = resolve(twin, path);
            if (actual == null) {
                return false;
            }
            boolean found = values.stream().anyMatch(v -> same(actual, v));
            return found != negated;
        }
    }

    record Defined(String[] path) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            return resolve(twin, path) != null;
        }
    }

    /** Every term, left to right, stopping at the first false one. */
    record And(List<Node> terms) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            for (Node t : terms) {
                if (!t.test(twin)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Every term, left to right, stopping at the first true one. */
    record Or(List<Node> terms) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            for (Node t : terms) {
                if (t.test(twin)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Node inner) implements Node {
        @Override
        public boolean test(JsonNode twin) {
            return !inner.test(twin);
        }
    }

    /** @return the value at the path, or null if it names nothing */
    private static JsonNode resolve(JsonNode twin, String[] path) {
        JsonNode n = twin;
        for (String step : path) {
            n = n == null || !n.isObject() ? null : n.get(step);
        }
        return n == null || n.isMissingNode() ? null : n;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static Integer compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().compareTo(b.textValue());
        }
        return null;
    }
}
