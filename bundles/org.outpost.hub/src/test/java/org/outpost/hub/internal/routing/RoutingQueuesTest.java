/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.internal.Database;

/** The endpoints' queues on a real hub database (H2). */
class RoutingQueuesTest {

    @TempDir
    Path dir;

    private Database db;
    private RoutingQueues queues;
    private RoutingTables tables;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir.resolve("db")));
        queues = new RoutingQueues(db);
        tables = new RoutingTables(db);
        tables.putEndpoint("ep", "webhook", "{}", 1_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private void enqueue(int n) {
        for (int i = 0; i < n; i++) {
            queues.enqueue(List.of(new RoutingQueues.Item("ep", "all", 1_000 + i, "{}", "")));
        }
    }

    @Test
    void aNodeWhoseLeaseExpiredAndWentToAnotherChangesNothing() {
        enqueue(2);
        assertThat(queues.lease("ep", "A", 10_000, 11_000)).isPresent();
        assertThat(queues.lease("ep", "B", 12_000, 20_000)).isPresent(); // A's expired
        List<RoutingQueues.Row> rows = queues.head("ep", 0, 10);
        long first = rows.get(0).seq();
        long last = rows.get(1).seq();

        assertThatThrownBy(() -> queues.delivered("ep", "A", first, last, 2, 13_000))
                .isInstanceOf(RoutingQueues.LeaseLostException.class).hasMessageContaining("'ep'");
        assertThatThrownBy(() -> queues.failed("ep", "A", "down", 13_000, 14_000))
                .isInstanceOf(RoutingQueues.LeaseLostException.class);
        assertThatThrownBy(() -> queues.deadLetter("ep", "A", rows.subList(0, 1), 1, "x", 13_000))
                .isInstanceOf(RoutingQueues.LeaseLostException.class);
        assertThat(queues.head("ep", 0, 10)).hasSize(2);
        assertThat(queues.deadLetters("ep", 10)).isEmpty();
        RoutingQueues.State s = queues.state("ep").orElseThrow();
        assertThat(s.attempts()).isZero();
        assertThat(s.dead()).isZero();
        assertThat(s.delivered()).isZero();
        assertThat(queues.renew("ep", "A", 13_000, 30_000)).isFalse();

        queues.delivered("ep", "B", first, last, 2, 13_000);
        assertThat(queues.head("ep", 0, 10)).isEmpty();
        assertThat(queues.state("ep").orElseThrow().delivered()).isEqualTo(2);
    }

    @Test
    void errorTextIsStoredWithoutControlCharactersAndCapped() {
        enqueue(1);
        assertThat(queues.lease("ep", "A", 10_000, 20_000)).isPresent();
        queues.failed("ep", "A", "bad\u0000answer\n" + "x".repeat(10_000), 11_000, 12_000);
        String stored = queues.state("ep").orElseThrow().lastError();
        assertThat(stored).startsWith("bad answer ").doesNotContain("\u0000").hasSize(RoutingQueues.MAX_ERROR);
        queues.deadLetter("ep", "A", queues.head("ep", 0, 1), 1, "\u0000".repeat(5000), 11_000);
        assertThat(queues.deadLetters("ep", 1).get(0).reason()).doesNotContain("\u0000")
                .hasSizeLessThanOrEqualTo(RoutingQueues.MAX_ERROR);
    }

    @Test
    void aReplayMovesEachDeadLetterOnceAcrossPagesAndCountsWhatMoved() {
        int n = Replay.REPLAY_PAGE + 3;
        List<RoutingQueues.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new RoutingQueues.Item("ep", "all", i, "{}", "b" + i));
        }
        queues.enqueue(items);
        assertThat(queues.lease("ep", "A", 10_000, 20_000)).isPresent();
        List<RoutingQueues.Row> rows = queues.head("ep", 0, n);
        queues.deadLetter("ep", "A", rows, 1, "x", 11_000);
        assertThat(queues.state("ep").orElseThrow().dead()).isEqualTo(n);

        long one = rows.get(Replay.REPLAY_PAGE + 1).seq();
        assertThat(queues.replay("ep", List.of(one, 42L))).isEqualTo(1);
        assertThat(queues.replay("ep", List.of(one))).isZero();
        assertThat(queues.state("ep").orElseThrow().dead()).isEqualTo(n - 1);
        assertThat(queues.replay("ep", List.of())).isEqualTo(n - 1);
        assertThat(queues.replay("ep", List.of())).isZero();
        assertThat(queues.state("ep").orElseThrow().dead()).isZero();
        List<RoutingQueues.Row> queued = queues.head("ep", 0, 2 * n);
        assertThat(queued).hasSize(n);
        assertThat(queued.get(0).body()).isEqualTo("b" + (Replay.REPLAY_PAGE + 1));
        assertThat(queued.get(1).body()).isEqualTo("b0");
        assertThat(queued.get(n - 1).body()).isEqualTo("b" + (n - 1));
        assertThat(queued.get(0).seq()).isGreaterThan(rows.get(n - 1).seq());
    }

    @Test
    void anExpiredLeaseFencesItsOwnNodeToo() {
        enqueue(1);
        assertThat(queues.lease("ep", "A", 10_000, 11_000)).isPresent();
        assertThatThrownBy(() -> queues.failed("ep", "A", "down", 12_000, 13_000))
                .isInstanceOf(RoutingQueues.LeaseLostException.class);
        assertThat(queues.renew("ep", "A", 10_500, 20_000)).isTrue();
        queues.failed("ep", "A", "down", 12_000, 13_000);
        assertThat(queues.state("ep").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void anAcknowledgementRenewsTheLeaseAndReturnsTheStateInTheSameTransaction() {
        enqueue(3);
        assertThat(queues.lease("ep", "A", 10_000, 11_000)).isPresent();
        List<RoutingQueues.Row> rows = queues.head("ep", 0, 2);
        RoutingQueues.State s = queues.deliveredAndRenewed("ep", "A", rows.get(0).seq(), rows.get(1).seq(), 2, 10_500,
                40_000);
        assertThat(s.leaseNode()).isEqualTo("A");
        assertThat(s.leaseUntilMs()).isEqualTo(40_000);
        assertThat(s.delivered()).isEqualTo(2);
        assertThat(s.attempts()).isZero();
        assertThat(s.type()).isEqualTo("webhook");
        assertThat(queues.state("ep").orElseThrow().leaseUntilMs()).isEqualTo(40_000);
        // Renewed: another node cannot take it where A's first lease would have expired.
        assertThat(queues.lease("ep", "B", 20_000, 50_000)).isEmpty();
        assertThat(queues.head("ep", 0, 10)).hasSize(1);

        // Once it expired and went to B, A's acknowledgement changes nothing, and does not take the lease back.
        assertThat(queues.lease("ep", "B", 41_000, 90_000)).isPresent();
        long third = queues.head("ep", 0, 10).get(0).seq();
        assertThatThrownBy(() -> queues.deliveredAndRenewed("ep", "A", third, third, 1, 42_000, 100_000))
                .isInstanceOf(RoutingQueues.LeaseLostException.class);
        assertThat(queues.head("ep", 0, 10)).hasSize(1);
        RoutingQueues.State b = queues.state("ep").orElseThrow();
        assertThat(b.leaseNode()).isEqualTo("B");
        assertThat(b.leaseUntilMs()).isEqualTo(90_000);
        assertThat(b.delivered()).isEqualTo(2);
    }

    @Test
    void theHeadIsReadInSequenceOrderFromThePrimaryKeyWithoutSortingTheQueue() throws Exception {
        tables.putEndpoint("other", "webhook", "{}", 1_000);
        for (int i = 0; i < 30; i++) {
            queues.enqueue(List.of(new RoutingQueues.Item(i % 2 == 0 ? "ep" : "other", "all", i, "{}", "b" + i),
                    new RoutingQueues.Item("ep", "all", i, "{}", "c" + i)));
        }
        List<RoutingQueues.Row> all = queues.head("ep", 0, 100);
        assertThat(all).hasSize(45);
        assertThat(all).extracting(RoutingQueues.Row::seq).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(0).body()).isEqualTo("b0");
        assertThat(all.get(1).body()).isEqualTo("c0");
        assertThat(all.get(2).body()).isEqualTo("c1");
        List<RoutingQueues.Row> page = queues.head("ep", all.get(9).seq(), 5);
        assertThat(page).extracting(RoutingQueues.Row::seq).containsExactlyElementsOf(all.subList(10, 15).stream()
                .map(RoutingQueues.Row::seq).toList());
        // The plan: H2 reads the primary key (endpoint, seq) in order and stops at the limit ("index sorted"); ordered
        // by seq alone it read the endpoint's whole queue and sorted it, for every batch.
        String plan = db.transaction("explaining", c -> {
            try (java.sql.PreparedStatement s = c.prepareStatement("EXPLAIN " + RoutingQueues.HEAD)) {
                s.setString(1, "ep");
                s.setLong(2, 0);
                s.setInt(3, 100);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(plan).contains("index sorted");
    }

    @Test
    void aBatchBeingQueuedDoesNotHoldUpTheAcknowledgementOrLeaseOfItsEndpoint() throws Exception {
        enqueue(2);
        assertThat(queues.lease("ep", "A", 10_000, 20_000)).isPresent();
        List<RoutingQueues.Row> rows = queues.head("ep", 0, 10);
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // Another transaction takes sequences of the endpoint, as queueing does, and stays open meanwhile.
        java.util.concurrent.CompletableFuture<Void> queueing = java.util.concurrent.CompletableFuture.runAsync(
                () -> db.transaction("queueing, slowly", c -> {
                    try (java.sql.PreparedStatement s = c.prepareStatement("UPDATE routing_sequences SET next_seq"
                            + " = next_seq + 5 WHERE endpoint = 'ep'")) {
                        assertThat(s.executeUpdate()).isEqualTo(1);
                    }
                    locked.countDown();
                    try {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }));
        try {
            assertThat(locked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.util.concurrent.CompletableFuture<RoutingQueues.State> ack = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        RoutingQueues.State s = queues.deliveredAndRenewed("ep", "A", rows.get(0).seq(), rows.get(1)
                                .seq(), 2, 11_000, 25_000);
                        queues.lease("ep", "A", 12_000, 26_000).orElseThrow();
                        return s;
                    });
            // Well within the statement timeout a lock wait would end at (30 s).
            assertThat(ack.get(5, java.util.concurrent.TimeUnit.SECONDS).delivered()).isEqualTo(2);
        } finally {
            release.countDown();
        }
        queueing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(queues.head("ep", 0, 10)).isEmpty();
    }
}
