/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads rows for many ids with {@code IN (?, ?, ...)}, {@value #CHUNK} ids per statement: a page of devices costs one
 * statement per chunk, whatever its size up to that, never one per device.
 */
final class SqlIn {

    /** Ids bound in one statement at most (well under every database's limit of parameters). */
    static final int CHUNK = 500;

    /** Reads one row. */
    @FunctionalInterface
    interface Row {
        void read(ResultSet r) throws SQLException;
    }

    private SqlIn() {
    }

    /**
     * Runs {@code sql} once per chunk of ids.
     *
     * @param sql a query whose last parameters are the ids: {@code ... IN (%s)}, where {@code %s} becomes the
     *            placeholders of the chunk
     * @param leading values bound before the ids
     */
    static void query(Connection c, String sql, Collection<String> ids, Row row, Object... leading)
            throws SQLException {
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement s = c.prepareStatement(String.format(sql, String.join(", ", java.util.Collections
                    .nCopies(chunk.size(), "?"))))) {
                int i = 1;
                for (Object v : leading) {
                    s.setObject(i++, v);
                }
                for (String id : chunk) {
                    s.setString(i++, id);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        row.read(r);
                    }
                }
            }
        }
    }
}
