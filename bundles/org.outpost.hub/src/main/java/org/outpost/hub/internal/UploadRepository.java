/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.uploads.Uploads;

/** The SQL of uploads ({@code uploads}, {@code upload_files}: V8). */
final class UploadRepository {

    /** An upload's row, with the hash of its signature. */
    record Row(Uploads.Upload upload, String signatureHash) {
    }

    private final HubDatabase db;

    UploadRepository(HubDatabase db) {
        this.db = db;
    }

    void insert(String id, String deviceId, Uploads.Kind kind, String request, String signatureHash,
            Instant created, Instant expires) {
        db.transaction("recording upload " + id + " of " + deviceId, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO uploads (id, device_id, kind, request,"
                    + " signature_hash, task_status, message, created_ms, expires_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)")) {
                s.setString(1, id);
                s.setString(2, deviceId);
                s.setString(3, kind.name());
                s.setString(4, request);
                s.setString(5, signatureHash);
                s.setString(6, "NotStarted");
                s.setLong(7, created.toEpochMilli());
                s.setLong(8, expires.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }

    void task(String id, String correlationId, String status, String message) {
        db.transaction("recording the task of upload " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE uploads SET correlation_id = COALESCE(?,"
                    + " correlation_id), task_status = ?, message = ? WHERE id = ?")) {
                s.setString(1, correlationId);
                s.setString(2, status);
                s.setString(3, message == null ? "" : message);
                s.setString(4, id);
                return s.executeUpdate();
            }
        });
    }

    Optional<Row> find(String id) {
        return db.transaction("reading upload " + id, c -> {
            List<Row> rows = select(c, "WHERE u.id = ?", id, 1);
            return rows.isEmpty() ? Optional.<Row>empty() : Optional.of(rows.get(0));
        });
    }

    List<Uploads.Upload> list(String deviceId, int limit) {
        return db.transaction("listing uploads", c -> select(c, deviceId == null ? "" : "WHERE u.device_id = ?",
                deviceId, limit).stream().map(Row::upload).toList());
    }

    private static List<Row> select(Connection c, String where, String arg, int limit) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT u.id, u.device_id, u.kind, u.request, u.signature_hash,"
                + " u.correlation_id, u.task_status, u.message, u.created_ms, u.expires_ms FROM uploads u " + where
                + " ORDER BY u.created_ms DESC, u.id")) {
            if (!where.isEmpty()) {
                s.setString(1, arg);
            }
            s.setMaxRows(limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), new Object[] {r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getLong(9), r.getLong(10)});
                }
            }
        }
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : rows.entrySet()) {
            Object[] v = e.getValue();
            out.add(new Row(new Uploads.Upload(e.getKey(), (String) v[0], Uploads.Kind.valueOf((String) v[1]),
                    (String) v[2], (String) v[4], (String) v[5], (String) v[6], Instant.ofEpochMilli((Long) v[7]),
                    Instant.ofEpochMilli((Long) v[8]), files(c, e.getKey())), (String) v[3]));
        }
        return out;
    }

    private static List<Uploads.UploadFile> files(Connection c, String id) throws SQLException {
        List<Uploads.UploadFile> files = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, name, content_type, content_encoding, bytes, sha256,"
                + " received_ms FROM upload_files WHERE upload_id = ? ORDER BY seq")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    files.add(new Uploads.UploadFile(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getLong(5), r.getString(6), Instant.ofEpochMilli(r.getLong(7))));
                }
            }
        }
        return files;
    }

    /** Keeps a file; one of the same name in the same upload is replaced, as Put Blob replaces a blob. */
    long putFile(String id, String name, String contentType, String encoding, byte[] body, String sha256,
            Instant received) {
        return db.transaction("keeping file " + name + " of upload " + id, c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM upload_files WHERE upload_id = ? AND name = ?");
                    PreparedStatement s = c.prepareStatement("INSERT INTO upload_files (upload_id, name, content_type,"
                            + " content_encoding, bytes, sha256, content, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                d.setString(1, id);
                d.setString(2, name);
                d.executeUpdate();
                s.setString(1, id);
                s.setString(2, name);
                s.setString(3, contentType);
                s.setString(4, encoding);
                s.setLong(5, body.length);
                s.setString(6, sha256);
                s.setString(7, Base64.getEncoder().encodeToString(body));
                s.setLong(8, received.toEpochMilli());
                s.executeUpdate();
                try (ResultSet k = s.getGeneratedKeys()) {
                    k.next();
                    return k.getLong(1);
                }
            }
        });
    }

    Optional<byte[]> content(String id, long seq) {
        return db.transaction("reading file " + seq + " of upload " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT content FROM upload_files WHERE upload_id = ? AND"
                    + " seq = ?")) {
                s.setString(1, id);
                s.setLong(2, seq);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(Base64.getDecoder().decode(r.getString(1))) : Optional.empty();
                }
            }
        });
    }

    boolean delete(String id) {
        return db.transaction("deleting upload " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    /** @return how many uploads made before the time were deleted */
    int deleteBefore(Instant before) {
        return db.transaction("deleting old uploads", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM uploads WHERE created_ms < ?")) {
                s.setLong(1, before.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }
}
