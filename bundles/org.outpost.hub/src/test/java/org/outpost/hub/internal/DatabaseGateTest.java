/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.StorageException;
import org.outpost.hub.storage.internal.Database;

class DatabaseGateTest {

    @TempDir
    Path dir;

    private Database db;
    private FlakyDatabase flaky;
    private DatabaseGate gate;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        flaky = new FlakyDatabase(db);
        gate = new DatabaseGate(flaky, Duration.ofMillis(300), Duration.ofMillis(100), System::nanoTime);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        gate.close();
        db.close();
    }

    @Test
    void workAnsweredInTimeGivesItsResultAndItsOwnErrorsPassThroughWithTheGateOpen() {
        assertThat(gate.call("counting", () -> 42)).isEqualTo(42);
        assertThatThrownBy(() -> gate.call("checking", () -> {
            throw new IllegalArgumentException("no device 'x'");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("no device 'x'");
        assertThatThrownBy(() -> gate.call("adding", () -> {
            throw new StorageException("adding d1", new SQLException("duplicate", "23505"));
        })).isInstanceOf(StorageException.class);
        assertThat(gate.open()).isTrue();
    }

    @Test
    void workNotAnsweredWithinTheWaitClosesTheGateThenCallsFailAtOnceUntilTheDatabaseAnswers() throws Exception {
        flaky.down = true;
        long start = System.nanoTime();
        assertThatThrownBy(() -> gate.call("checking the credentials of d1", () -> {
            waitFor(release);
            return true;
        })).isInstanceOf(DatabaseGate.Unavailable.class).hasMessageContaining("no answer within 300 ms")
                .hasMessageContaining("not checking the credentials of d1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> gate.call("reading a twin", ran::incrementAndGet))
                .isInstanceOf(DatabaseGate.Unavailable.class);
        assertThat(ran).as("not even tried").hasValue(0);

        flaky.down = false;
        await().atMost(Duration.ofSeconds(5)).until(gate::open);
        assertThat(gate.call("reading a twin", ran::incrementAndGet)).isEqualTo(1);
    }

    @Test
    void aLostConnectionClosesTheGateAtOnceButAStatementErrorDoesNot() {
        assertThatThrownBy(() -> gate.call("reading a twin", () -> {
            throw new StorageException("reading a twin", new SQLException("syntax error", "42000"));
        })).isInstanceOf(StorageException.class);
        assertThat(gate.open()).isTrue();

        flaky.down = true;
        assertThatThrownBy(() -> gate.call("reading a twin", () -> {
            throw new StorageException("reading a twin: connection is not available",
                    new SQLTransientConnectionException(
                    "outpost-hub-db - Connection is not available, request timed out after 5000ms"));
        })).isInstanceOf(DatabaseGate.Unavailable.class).hasMessageContaining("connection is not available");
        assertThat(gate.open()).isFalse();

        flaky.down = false;
        await().atMost(Duration.ofSeconds(5)).until(gate::open);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
