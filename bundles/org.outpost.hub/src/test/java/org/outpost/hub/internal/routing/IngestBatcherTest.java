/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.internal.Database;

/** The ingestion batcher on a real hub database (H2) that stalls. */
class IngestBatcherTest {

    @TempDir
    Path dir;

    @Test
    void whenStoringStallsSubmittingBlocksBeyondTheCapacityAndNothingIsLost() throws Exception {
        try (Database db = new Database(Database.Settings.embedded(dir.resolve("db")))) {
            new RoutingTables(db).putEndpoint("ep", "webhook", "{}", 1_000);
            CountDownLatch open = new CountDownLatch(1);
            HubDatabase stalled = (HubDatabase) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HubDatabase.class}, (proxy, method, args) -> {
                        if (method.getName().equals("transaction")) {
                            open.await();
                        }
                        try {
                            return method.invoke(db, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            RoutingQueues queues = new RoutingQueues(stalled);
            AtomicInteger stored = new AtomicInteger();
            IngestBatcher batcher = new IngestBatcher(queues, null, 1, stored::incrementAndGet, 2);
            List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
            AtomicInteger submitted = new AtomicInteger();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    futures.add(batcher.submit(List.of(new RoutingQueues.Item("ep", "all", i, "{}", "")), List.of()));
                    submitted.incrementAndGet();
                }
            });
            producer.start();
            // One taken by the stalled store, two waiting: the fourth submit blocks.
            await().atMost(Duration.ofSeconds(10)).until(() -> submitted.get() == 3
                    && producer.getState() == Thread.State.TIMED_WAITING);
            assertThat(submitted.get()).isEqualTo(3);
            open.countDown();
            producer.join(10_000);
            assertThat(submitted.get()).isEqualTo(10);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
            assertThat(queues.head("ep", 0, 100)).hasSize(10);
            batcher.close();
        }
    }
}
