/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** A token of the route language; {@code column} is 1-based in the text given to the compiler. */
record Token(Kind kind, String text, int column) {

    enum Kind {
        SELECT, FROM, WHERE, INTO, STRING, UNTERMINATED_STRING, INTEGER, HEX, REAL, TRUE, FALSE, NULL, UNDEFINED,
        OPEN, CLOSE, COMMA, PLUS, MINUS, MUL, DIV, MOD, AND, OR, NOT, EQ, NE, LE, GE, GT, LT, CONCAT, COALESCE,
        OPEN_BRACE, CLOSE_BRACE, SYS_PROP, ID, QUERY_PATH, UNKNOWN, EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }
}
