/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.ArrayList;
import java.util.List;

import org.outpost.routelanguage.Token.Kind;

/**
 * Splits route text into tokens the way edgeHub's lexer does: at each position the longest match wins, and between
 * matches of equal length the rule listed first ({@link Kind} order). So {@code temp-2} is one identifier (identifier
 * characters include {@code -}, {@code +}, {@code *}, {@code .}), {@code 30} is a number and {@code andy} is not
 * {@code AND}. White space and comments are skipped.
 */
final class Lexer {

    private static final String NOT_ID_CHARS = "()<>@,;:\\\"/[]?={} \t\n\r";
    private static final String NOT_PATH_CHARS = "()<>@,;:\\\"/?={} \t\n\r";

    private final String text;
    private int pos;

    Lexer(String text) {
        this.text = text;
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                out.add(new Token(Kind.EOF, "", pos + 1));
                return out;
            }
            Token t = next();
            out.add(t);
            pos += t.text().length();
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (text.startsWith("/*", pos) && text.indexOf("*/", pos + 2) >= 0) {
                // A comment only when it is closed: in "FROM /messages/* INTO ..." the "/*" is a path.
                pos = text.indexOf("*/", pos + 2) + 2;
            } else {
                return;
            }
        }
    }

    private Token next() {
        Kind best = Kind.UNKNOWN;
        int bestLength = 1;
        for (Kind k : Kind.values()) {
            int length = match(k);
            if (length > bestLength || (length == bestLength && length > 0 && k.ordinal() < best.ordinal())) {
                best = k;
                bestLength = length;
            }
        }
        return new Token(best, text.substring(pos, pos + bestLength), pos + 1);
    }

    /** @return the length of the longest match of {@code k} at the current position, or 0 */
    private int match(Kind k) {
        return switch (k) {
            case SELECT -> keyword("select");
            case FROM -> keyword("from");
            case WHERE -> keyword("where");
            case INTO -> keyword("into");
            case STRING -> string(true);
            case UNTERMINATED_STRING -> string(false);
            case INTEGER -> integer();
            case HEX -> hex();
            case REAL -> real();
            case TRUE -> literal("true");
            case FALSE -> literal("false");
            case NULL -> literal("null");
            case UNDEFINED -> literal("undefined");
            case OPEN -> literal("(");
            case CLOSE -> literal(")");
            case COMMA -> literal(",");
            case PLUS -> literal("+");
            case MINUS -> literal("-");
            case MUL -> literal("*");
            case DIV -> literal("/");
            case MOD -> literal("%");
            case AND -> keyword("and");
            case OR -> keyword("or");
            case NOT -> keyword("not");
            case EQ -> literal("=");
            case NE -> Math.max(literal("!="), literal("<>"));
            case LE -> literal("<=");
            case GE -> literal(">=");
            case GT -> literal(">");
            case LT -> literal("<");
            case CONCAT -> literal("||");
            case COALESCE -> literal("??");
            case OPEN_BRACE -> literal("{");
            case CLOSE_BRACE -> literal("}");
            case SYS_PROP -> text.charAt(pos) == '$' ? chars(pos + 1, NOT_PATH_CHARS) : 0;
            case ID -> chars(pos, NOT_ID_CHARS);
            case QUERY_PATH -> chars(pos, NOT_PATH_CHARS);
            case UNKNOWN, EOF -> 0;
        };
    }

    private int literal(String s) {
        return text.startsWith(s, pos) ? s.length() : 0;
    }

    private int keyword(String s) {
        return text.regionMatches(true, pos, s, 0, s.length()) ? s.length() : 0;
    }

    private int chars(int from, String excluded) {
        int i = from;
        while (i < text.length() && excluded.indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i == from ? 0 : i - pos;
    }

    private int digits(int from) {
        int i = from;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
            i++;
        }
        return i - from;
    }

    private int integer() {
        int start = pos + (text.charAt(pos) == '-' ? 1 : 0);
        int d = digits(start);
        return d == 0 ? 0 : start - pos + d;
    }

    private int hex() {
        if (!text.startsWith("0x", pos) && !text.startsWith("0X", pos)) {
            return 0;
        }
        int i = pos + 2;
        while (i < text.length() && "0123456789abcdefABCDEF".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i == pos + 2 ? 0 : i - pos;
    }

    private int real() {
        int i = pos + (text.charAt(pos) == '-' ? 1 : 0);
        i += digits(i);
        boolean fraction = false;
        if (i < text.length() && text.charAt(i) == '.') {
            int f = digits(i + 1);
            if (f > 0) {
                i += 1 + f;
                fraction = true;
            }
        }
        int exponent = exponent(i);
        // edgeHub's REAL_LITERAL: '-'? [0-9]* '.' [0-9]+ EXP? | '-'? [0-9]* EXP. So "e34" is a REAL token too (one
        // that .NET cannot parse: an undefined literal), winning over the identifier of the same length.
        if (!fraction && exponent == 0) {
            return 0;
        }
        return i + exponent - pos;
    }

    private int exponent(int i) {
        if (i >= text.length() || (text.charAt(i) != 'e' && text.charAt(i) != 'E')) {
            return 0;
        }
        int j = i + 1;
        if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
            j++;
        }
        int d = digits(j);
        return d == 0 ? 0 : j + d - i;
    }

    private int string(boolean terminated) {
        char quote = text.charAt(pos);
        if (quote != '"' && quote != '\'') {
            return 0;
        }
        int i = pos + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                int esc = escape(i);
                if (esc == 0) {
                    return terminated ? 0 : i - pos;
                }
                i += esc;
            } else if (c == quote) {
                return terminated ? i + 1 - pos : 0;
            } else {
                i++;
            }
        }
        return terminated ? 0 : i - pos;
    }

    /** @return the length of the escape sequence at {@code i}, or 0 if it is not a valid one */
    private int escape(int i) {
        if (i + 1 >= text.length()) {
            return 0;
        }
        char c = text.charAt(i + 1);
        if (c == '"' || c == '\'' || c == '\\') {
            return 2;
        }
        if (c == 'u' && i + 6 <= text.length() && text.substring(i + 2, i + 6).matches("[0-9a-fA-F]{4}")) {
            return 6;
        }
        return 0;
    }

    /** @return the value of a STRING token's text, escapes resolved */
    static String unquote(String token) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c == '\\') {
                char e = token.charAt(i + 1);
                if (e == 'u') {
                    out.append((char) Integer.parseInt(token.substring(i + 2, i + 6), 16));
                    i += 5;
                } else {
                    out.append(e);
                    i++;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
