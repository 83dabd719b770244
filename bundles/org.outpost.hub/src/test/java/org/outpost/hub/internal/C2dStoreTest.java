/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;

class C2dStoreTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private C2dStore store;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("d1");
        devices.create("d2");
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.deactivate();
        }
        devices.deactivate();
        db.close();
    }

    private C2dStore store(Duration ttl, int max, Duration purgeEvery) {
        store = new C2dStore(db, devices, new C2dStore.Limits(ttl, max, purgeEvery));
        return store;
    }

    private static byte[] body(int i) {
        return ("message " + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageBeyondTheDevicesCapIsRefusedWithWhatToDoAndOtherDevicesAreNotAffected() {
        C2dStore c2d = store(Duration.ofHours(48), 50, Duration.ofMinutes(10));
        for (int i = 0; i < 50; i++) {
            c2d.send("d1", body(i), Map.of());
        }

        assertThatThrownBy(() -> c2d.send("d1", body(50), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device 'd1' has 50 cloud-to-device messages waiting, the most one device"
                        + " may have (c2d.max.per.device in etc/org.outpost.hub.cfg); nothing was sent");
        assertThat(c2d.pending("d1")).isEqualTo(50);
        c2d.send("d2", body(0), Map.of());
        assertThat(c2d.pending("d2")).isEqualTo(1);

        // Once the device took one, there is room for one more.
        c2d.delivered(c2d.waiting("d1", 0, 1).get(0).seq());
        c2d.send("d1", body(50), Map.of());
        assertThat(c2d.pending("d1")).isEqualTo(50);
    }

    @Test
    void concurrentSendsToOneDeviceNeverStoreMoreThanTheCap() throws Exception {
        C2dStore c2d = store(Duration.ofHours(48), 50, Duration.ofMinutes(10));
        ExecutorService senders = Executors.newFixedThreadPool(8);
        AtomicInteger refused = new AtomicInteger();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        c2d.send("d1", body(n), Map.of());
                    } catch (IllegalArgumentException full) {
                        refused.incrementAndGet();
                    }
                }, senders));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            senders.shutdownNow();
        }

        assertThat(rows()).isEqualTo(50);
        assertThat(refused).hasValue(30);
    }

    @Test
    void expiredMessagesAreDeletedPeriodicallyEvenIfTheirDeviceNeverComesBack() {
        C2dStore c2d = store(Duration.ofMillis(1), 50, Duration.ofMillis(200));
        for (int i = 0; i < 5; i++) {
            c2d.send("d1", body(i), Map.of());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 0);
    }

    @Test
    void expiredMessagesDoNotCountAgainstTheCap() {
        C2dStore c2d = store(Duration.ofMillis(300), 3, Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            c2d.send("d1", body(i), Map.of());
        }
        assertThatThrownBy(() -> c2d.send("d1", body(3), Map.of())).hasMessageContaining("has 3 cloud-to-device");

        await().atMost(Duration.ofSeconds(10)).until(() -> c2d.pending("d1") == 0);
        c2d.send("d1", body(3), Map.of());

        assertThat(rows()).as("the expired ones were deleted on the way").isEqualTo(1);
    }

    @Test
    void refusesACapBelowOneSayingWhereToFixIt() {
        assertThatThrownBy(() -> new C2dStore.Limits(Duration.ofHours(1), 0, Duration.ofMinutes(1)))
                .hasMessage("c2d.max.per.device 0 must be at least 1; fix etc/org.outpost.hub.cfg");
    }

    private int rows() {
        return db.transaction("counting", c -> {
            try (ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM c2d_messages")) {
                r.next();
                return r.getInt(1);
            }
        });
    }
}
