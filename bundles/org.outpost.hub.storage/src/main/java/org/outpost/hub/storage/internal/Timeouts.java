/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

/**
 * How long the hub waits for its database, so that no thread waits forever on a database that stopped answering (a
 * half-open link, a lock held, a server that hangs).
 *
 * @param connectSeconds to open a connection (PostgreSQL: TCP connect and log-in)
 * @param socketSeconds the longest PostgreSQL read on an open connection, 0 for none; longer than the statement
 *            timeout, so that a slow statement is cancelled by the server first, and a silent link ends here
 * @param statementSeconds the longest statement (PostgreSQL {@code statement_timeout}, H2 {@code QUERY_TIMEOUT})
 * @param poolWaitSeconds the longest wait for a connection from the pool when all are in use
 */
public record Timeouts(int connectSeconds, int socketSeconds, int statementSeconds, int poolWaitSeconds) {

    /** connect 10 s, socket 60 s, statement 30 s, pool wait 5 s. */
    public static final Timeouts DEFAULTS = new Timeouts(10, 60, 30, 5);

    public Timeouts {
        positive("connect.timeout.seconds", connectSeconds);
        positive("statement.timeout.seconds", statementSeconds);
        positive("pool.wait.seconds", poolWaitSeconds);
        if (socketSeconds != 0 && socketSeconds <= statementSeconds) {
            throw new IllegalArgumentException("socket.timeout.seconds " + socketSeconds + " must be longer than"
                    + " statement.timeout.seconds " + statementSeconds + " (or 0 for none), so that a slow statement"
                    + " is cancelled before its connection is given up; fix etc/org.outpost.hub.storage.cfg");
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " " + value + " must be at least 1 (seconds); fix"
                    + " etc/org.outpost.hub.storage.cfg");
        }
    }
}
