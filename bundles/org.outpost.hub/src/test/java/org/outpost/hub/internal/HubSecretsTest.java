/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;

class HubSecretsTest {

    @TempDir
    Path dir;

    private Database db;
    private Path keyFile;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir.resolve("db")));
        keyFile = dir.resolve("etc/outpost-master.key");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String column(String sql) {
        return db.transaction("reading", c -> {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        });
    }

    private void update(String sql, String... values) {
        db.transaction("writing", c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setString(i + 1, values[i]);
                }
                return s.executeUpdate();
            }
        });
    }

    @Test
    void keysStoredInPlaintextAreSealedAtStartAndStillWork() {
        // As a hub before sealing wrote them.
        update("INSERT INTO devices (id, created_ms, salt, key_hash, primary_key, secondary_key) VALUES ('gw', 0,"
                + " 'AA==', 'AA==', 'cHJpbWFyeQ==', 'c2Vjb25kYXJ5')");
        update("INSERT INTO devices (id, created_ms, salt, key_hash) VALUES ('old', 0, 'AA==', 'AA==')");
        update("INSERT INTO module_identities (device_id, module_id, generation_id, primary_key, secondary_key,"
                + " created_ms, managed_by) VALUES ('gw', 'filter', 'g1', 'bW9kLXByaW1hcnk=', 'bW9kLXNlY29uZA==', 0,"
                + " '$edgeAgent')");

        SecretBox box = new HubSecrets(keyFile, db).box();

        assertThat(column("SELECT primary_key FROM devices WHERE id = 'gw'")).startsWith(SecretBox.PREFIX);
        assertThat(column("SELECT secondary_key FROM devices WHERE id = 'gw'")).startsWith(SecretBox.PREFIX);
        assertThat(column("SELECT primary_key FROM devices WHERE id = 'old'")).isNull();
        assertThat(column("SELECT primary_key FROM module_identities")).startsWith(SecretBox.PREFIX);
        DeviceStore devices = new DeviceStore(db, box);
        try {
            assertThat(devices.key("gw")).contains("cHJpbWFyeQ==");
            assertThat(devices.secondaryKey("gw")).contains("c2Vjb25kYXJ5");
            assertThat(devices.key("old")).isEmpty();
            assertThat(new ModuleStore(db, devices, box).keys("gw", "filter")).hasValueSatisfying(k -> {
                assertThat(k.primaryKey()).isEqualTo("bW9kLXByaW1hcnk=");
                assertThat(k.secondaryKey()).isEqualTo("bW9kLXNlY29uZA==");
            });
        } finally {
            devices.deactivate();
        }
    }

    @Test
    void sealingAgainChangesNothing() {
        update("INSERT INTO devices (id, created_ms, salt, key_hash, primary_key) VALUES ('gw', 0, 'AA==', 'AA==',"
                + " 'cHJpbWFyeQ==')");
        SecretBox box = new HubSecrets(keyFile, db).box();
        String sealed = column("SELECT primary_key FROM devices WHERE id = 'gw'");

        new HubSecrets(keyFile, db);
        assertThat(SealedKeys.sealPlaintext(db, box)).isZero();
        assertThat(column("SELECT primary_key FROM devices WHERE id = 'gw'")).isEqualTo(sealed);
    }

    @Test
    void aNodeWithAnotherMasterKeyDoesNotStartAndSaysToCopyTheFirstNodesKey() throws Exception {
        new HubSecrets(keyFile, db);
        Path otherKey = dir.resolve("other/etc/outpost-master.key");

        assertThatThrownBy(() -> new HubSecrets(otherKey, db)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the hub's master key " + otherKey + " is not the one the keys in the database were"
                        + " sealed with: every hub node sharing the database needs the same master key. Copy the"
                        + " master key file of the node that first started with this database to " + otherKey
                        + " (owner-only, chmod 600), then start this node again");

        Files.copy(keyFile, otherKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(new HubSecrets(otherKey, db).box()).isNotNull();
    }

    @Test
    void keysWrittenThroughTheRegistryAreSealedAndBoundToTheirDevice() {
        SecretBox box = new HubSecrets(keyFile, db).box();
        DeviceStore devices = new DeviceStore(db, box);
        try {
            String a = devices.create("a");
            devices.create("b");
            String secondary = devices.rotateKey("a", true);
            assertThat(column("SELECT primary_key FROM devices WHERE id = 'a'")).startsWith(SecretBox.PREFIX)
                    .doesNotContain(a);
            assertThat(column("SELECT secondary_key FROM devices WHERE id = 'a'")).startsWith(SecretBox.PREFIX)
                    .doesNotContain(secondary);
            // A row's sealed key copied to another row (by whoever can write the database) does not open there.
            update("UPDATE devices SET primary_key = ? WHERE id = 'b'", column("SELECT primary_key FROM devices"
                    + " WHERE id = 'a'"));
            assertThat(devices.key("b")).isEmpty();
            assertThat(devices.key("a")).contains(a);
            assertThat(devices.verify("a", secondary)).isTrue();
        } finally {
            devices.deactivate();
        }
    }

    @Test
    void theDefaultKeyFileIsInEtcAndARelativeOneIsTakenFromEtc() {
        Path etc = dir.resolve("etc");
        assertThat(HubSecrets.keyFile(etc, "")).isEqualTo(etc.resolve("outpost-master.key"));
        assertThat(HubSecrets.keyFile(etc, " secrets/hub.key ")).isEqualTo(etc.resolve("secrets/hub.key"));
        assertThat(HubSecrets.keyFile(etc, "/srv/keys/hub.key")).isEqualTo(Path.of("/srv/keys/hub.key"));
    }
}
