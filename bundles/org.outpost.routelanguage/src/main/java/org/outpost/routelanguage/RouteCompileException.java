/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/**
 * A route or condition that does not compile. The message says what is wrong and where, e.g.
 * {@code route 'alerts': column 42: cannot compare string with number (use as_number(temp))}.
 */
public class RouteCompileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int column;
    private final String reason;

    RouteCompileException(String route, int column, String reason) {
        super((route == null ? "" : "route '" + route + "': ") + "column " + column + ": " + reason);
        this.column = column;
        this.reason = reason;
    }

    /** @return the 1-based column of the problem in the route (or condition) text */
    public int column() {
        return column;
    }

    /** @return what is wrong, without the route name and column */
    public String reason() {
        return reason;
    }
}
