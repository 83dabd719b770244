/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;

/**
 * What the hub does with the database's keys when it starts, before anything reads them: it checks that its master key
 * is the one they were sealed with (the {@code master_key_check} row, written by the first node that started), and it
 * seals the keys still stored in plaintext (written before keys were sealed). Both are idempotent, and safe when
 * several nodes start at once: a key is sealed only if it is still the plaintext that was read.
 */
final class SealedKeys {

    /** What {@code master_key_check} holds, sealed. */
    static final String CHECK_TEXT = "outpost hub master key";
    static final String CHECK_CONTEXT = "master_key_check";

    /** A plaintext key found in a table, with where it is. */
    private record Plain(String table, String column, String where, String[] ids, String value, String context) {
    }

    private SealedKeys() {
    }

    /**
     * Records this master key as the database's, or checks that it is.
     *
     * @throws IllegalStateException if the database's keys were sealed under another master key, saying what to do
     */
    static void checkMasterKey(HubDatabase db, SecretBox box, Object keyFile) {
        String stored = db.transaction("reading the master key check", SealedKeys::readCheck);
        if (stored == null) {
            try {
                db.transaction("recording the master key check", c -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO master_key_check (id, sealed) VALUES"
                            + " (1, ?)")) {
                        s.setString(1, box.seal(CHECK_TEXT, CHECK_CONTEXT));
                        return s.executeUpdate();
                    }
                });
                return;
            } catch (StorageException e) {
                // Another node recorded its key at the same moment: this one must be the same.
                stored = db.transaction("reading the master key check", SealedKeys::readCheck);
                if (stored == null) {
                    throw e;
                }
            }
        }
        try {
            if (CHECK_TEXT.equals(box.open(stored, CHECK_CONTEXT))) {
                return;
            }
        } catch (IllegalStateException e) {
            // Not this key: said below.
        }
        throw new IllegalStateException("the hub's master key " + keyFile + " is not the one the keys in the database"
                + " were sealed with: every hub node sharing the database needs the same master key. Copy the master"
                + " key file of the node that first started with this database to " + keyFile + " (owner-only, chmod"
                + " 600), then start this node again");
    }

    private static String readCheck(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sealed FROM master_key_check WHERE id = 1");
                ResultSet r = s.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /**
     * Seals the device and module keys stored in plaintext.
     *
     * @return how many keys were sealed
     */
    static int sealPlaintext(HubDatabase db, SecretBox box) {
        return db.transaction("sealing the keys stored in plaintext", c -> {
            List<Plain> plain = new ArrayList<>();
            for (String column : List.of("primary_key", "secondary_key")) {
                String which = column.startsWith("primary") ? "primary" : "secondary";
                try (PreparedStatement s = c.prepareStatement("SELECT id, " + column + " FROM devices WHERE " + column
                        + " IS NOT NULL AND " + column + " NOT LIKE '" + SecretBox.PREFIX + "%'");
                        ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String id = r.getString(1);
                        plain.add(new Plain("devices", column, "id = ?", new String[] {id}, r.getString(2),
                                which.equals("primary") ? DeviceRepository.primaryContext(id)
                                        : DeviceRepository.secondaryContext(id)));
                    }
                }
                try (PreparedStatement s = c.prepareStatement("SELECT device_id, module_id, " + column + " FROM"
                        + " module_identities WHERE " + column + " NOT LIKE '" + SecretBox.PREFIX + "%'");
                        ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String device = r.getString(1);
                        String module = r.getString(2);
                        plain.add(new Plain("module_identities", column, "device_id = ? AND module_id = ?",
                                new String[] {device, module}, r.getString(3), ModuleRepository.context(device,
                                        module, which)));
                    }
                }
            }
            int sealed = 0;
            for (Plain p : plain) {
                try (PreparedStatement s = c.prepareStatement("UPDATE " + p.table() + " SET " + p.column() + " = ?"
                        + " WHERE " + p.where() + " AND " + p.column() + " = ?")) {
                    s.setString(1, box.seal(p.value(), p.context()));
                    for (int i = 0; i < p.ids().length; i++) {
                        s.setString(i + 2, p.ids()[i]);
                    }
                    s.setString(p.ids().length + 2, p.value());
                    sealed += s.executeUpdate();
                }
            }
            return sealed;
        });
    }
}
