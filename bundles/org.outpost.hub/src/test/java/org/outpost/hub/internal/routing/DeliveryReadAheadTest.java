/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.outpost.hub.storage.internal.Database;

/**
 * Delivery reads an endpoint's next batch while the current one is with the sink; on a real hub database (H2), that
 * batch is only delivered after the one before it was acknowledged under a lease still held: not after a failure,
 * not by a node that lost the lease meanwhile, and what is queued meanwhile follows in order.
 */
class DeliveryReadAheadTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Database db;
    private RoutingQueues queues;
    private Delivery delivery;
    /** Added to this machine's clock: the delivery's clock, moved on to let a lease expire. */
    private final AtomicLong skew = new AtomicLong();
    /** The sequences the sink took (delivered without an exception), in order. */
    private final List<Long> taken = Collections.synchronizedList(new ArrayList<>());
    /** The batches the sink was given, failed or not. */
    private final List<List<Long>> given = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir.resolve("db")));
        queues = new RoutingQueues(db);
        new RoutingTables(db).putEndpoint("ep", "test", "{}", 1_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (delivery != null) {
            delivery.close();
        }
        db.close();
    }

    private static RoutingSettings settings(Map<String, Object> values) {
        RoutingSettings defaults = ConfigValues.defaults(RoutingSettings.class);
        return (RoutingSettings) Proxy.newProxyInstance(RoutingSettings.class.getClassLoader(),
                new Class<?>[] {RoutingSettings.class}, (p, m, a) -> values.containsKey(m.getName())
                        ? values.get(m.getName()) : m.invoke(defaults, a));
    }

    private void enqueue(int from, int to) {
        List<RoutingQueues.Item> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Message m = Message.builder().json("{\"n\":" + i + "}").build();
            items.add(new RoutingQueues.Item("ep", "all", now(), MessageCodec.properties(m),
                    MessageCodec.body(m)));
        }
        queues.enqueue(items);
    }

    private static int n(RoutedMessage m) {
        return Integer.parseInt(new String(m.message().body()).replaceAll("\\D", ""));
    }

    private void start(Map<String, Object> settings, EndpointSink sink) {
        delivery = new Delivery(queues, "A", settings(settings), (e, t, s, c) -> sink, this::now);
    }

    private long now() {
        return System.currentTimeMillis() + skew.get();
    }

    @Test
    void aBatchReadAheadOfOneThatFailedIsDroppedAndTheQueueIsDeliveredInOrderOnce() {
        enqueue(0, 50);
        AtomicInteger calls = new AtomicInteger();
        List<Integer> ns = Collections.synchronizedList(new ArrayList<>());
        start(Map.of("batch_size", 10, "retry_initial_ms", 1L, "retry_max_ms", 5L), batch -> {
            given.add(batch.stream().map(RoutedMessage::sequence).toList());
            int call = calls.incrementAndGet();
            if (call == 2 || call == 4) {
                throw new IOException("down for a moment");
            }
            batch.forEach(m -> {
                taken.add(m.sequence());
                ns.add(n(m));
            });
        });
        delivery.wake();
        await().atMost(SOON).until(() -> ns.size() >= 50);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertThat(ns).containsExactlyElementsOf(expected);
        assertThat(taken).isSorted().doesNotHaveDuplicates();
        // After the failed second batch, the next try is the head again (one message), not the batch read ahead.
        assertThat(given.get(2)).containsExactly(given.get(1).get(0));
        await().atMost(SOON).until(() -> queues.head("ep", 0, 100).isEmpty());
        assertThat(queues.state("ep").orElseThrow().delivered()).isEqualTo(50);
    }

    @Test
    void messagesQueuedWhileABatchIsWithTheSinkFollowItInOrder() throws Exception {
        enqueue(0, 10);
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> ns = Collections.synchronizedList(new ArrayList<>());
        start(Map.of("batch_size", 10), batch -> {
            inSink.countDown();
            go.await(10, TimeUnit.SECONDS);
            batch.forEach(m -> ns.add(n(m)));
        });
        delivery.wake();
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        enqueue(10, 35); // after the read ahead may have started: it reads what was committed then
        go.countDown();
        await().atMost(SOON).until(() -> ns.size() >= 35);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            expected.add(i);
        }
        assertThat(ns).containsExactlyElementsOf(expected);
    }

    @Test
    void aNodeThatLostTheLeaseDuringABatchDeliversNothingMoreNotEvenTheBatchReadAhead() throws Exception {
        enqueue(0, 30);
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        start(Map.of("batch_size", 10, "lease_seconds", 30), batch -> {
            given.add(batch.stream().map(RoutedMessage::sequence).toList());
            inSink.countDown();
            go.await(10, TimeUnit.SECONDS);
        });
        delivery.wake();
        assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();
        // A's lease (30 s) expires while its first batch is with the sink, and node B takes the endpoint.
        skew.addAndGet(31_000);
        assertThat(queues.lease("ep", "B", now(), now() + 600_000)).isPresent();
        go.countDown();
        // A's acknowledgement is refused (the lease is B's): nothing is removed, and A gives the sink nothing more.
        await().pollDelay(Duration.ofMillis(500)).atMost(SOON).untilAsserted(() -> {
            assertThat(given).hasSize(1);
            assertThat(queues.head("ep", 0, 100)).hasSize(30);
            RoutingQueues.State s = queues.state("ep").orElseThrow();
            assertThat(s.leaseNode()).isEqualTo("B");
            assertThat(s.delivered()).isZero();
        });
    }
}
