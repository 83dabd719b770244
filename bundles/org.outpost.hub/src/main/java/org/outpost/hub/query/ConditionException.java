/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.query;

/** A condition that does not parse: says where (1-based column) and what was expected. */
public final class ConditionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int column;

    ConditionException(int column, String reason) {
        super("column " + column + ": " + reason);
        this.column = column;
    }

    /** @return the 1-based column of the problem */
    public int column() {
        return column;
    }
}
