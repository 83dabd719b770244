/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage;

/** The hub's database failed; nothing of the transaction it happened in was kept. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return true if another transaction changed the same rows at the same time (trying again may succeed) */
    public boolean conflict() {
        return getCause() instanceof java.sql.SQLException e && e.getSQLState() != null
                && (e.getSQLState().equals("40001") || e.getSQLState().equals("23505"));
    }
}
