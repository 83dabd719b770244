/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.List;

/**
 * A syntax tree node, as the parser builds it before any type is checked (edgeHub also parses first and checks types
 * while it visits the tree: the arguments of {@code twin_change_includes} are parsed but never visited).
 *
 * @param kind what the node is
 * @param token the literal, name, operator or offending token
 * @param kids operands or arguments
 * @param text the source text of the node
 * @param tokenText the node's tokens joined without the white space and comments between them (ANTLR's GetText)
 */
record Node(Kind kind, Token token, List<Node> kids, String text, String tokenText) {

    enum Kind {
        /** true, false, numbers, strings, null, undefined. */
        LITERAL,
        /** A bare name: an application property. */
        PROPERTY,
        /** {@code $name}. */
        SYS_PROP,
        /** {@code {$name}}. */
        SYS_PROP_ESCAPED,
        /** {@code name(args)}. */
        CALL,
        /** {@code -x}, {@code NOT x}. */
        UNARY,
        /** {@code a op b}. */
        BINARY,
        /** A syntax error that edgeHub's grammar accepts and its compiler refuses when it visits it. */
        ERROR
    }
}
