/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.activemq.artemis.api.core.Interceptor;
import org.apache.activemq.artemis.core.protocol.core.impl.PacketImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.message.Message;
import org.outpost.broker.api.StorageFullException;
import org.outpost.broker.api.StoreTimeoutException;

/** The writer against a real persistent Artemis whose disk goes over its limit and comes back. */
class EndpointWriterTest {

    private static final String QUEUE = "outpost.endpoint.upstream";
    private static final Map<String, RouteTable.Delivery> UPSTREAM = Map.of(QUEUE, new RouteTable.Delivery(4,
            60_000));

    @TempDir
    Path data;
    private ArtemisBroker broker;
    private EndpointWriter writer;

    @BeforeEach
    void start() throws Exception {
        broker = new ArtemisBroker(data, Duration.ofSeconds(1));
        writer = new EndpointWriter(broker, 2);
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        broker.close();
    }

    private CompletableFuture<Exception> write(String sender, int n) {
        CompletableFuture<Exception> done = new CompletableFuture<>();
        Message m = Message.builder().body(("m" + n).getBytes(StandardCharsets.UTF_8)).connectionModuleId(sender)
                .outputName("out").build();
        writer.write(sender, m, UPSTREAM, done::complete);
        return done;
    }

    private List<Exception> writeAll(String sender, int from, int to) {
        List<CompletableFuture<Exception>> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.add(write(sender, i));
        }
        return all.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void whileTheDiskIsFullAWriteFailsAtOnceSayingWhatToDoAndNothingIsStored() {
        broker.maxDiskUsage(1);

        List<Exception> results = writeAll("sensor", 0, 20);

        assertThat(results).allSatisfy(e -> assertThat(e).isInstanceOf(StorageFullException.class)
                .hasMessageStartingWith("disk full: " + data + " is at ")
                .hasMessageContaining("(max.disk.usage 1%); messages are refused until space returns; free space or"
                        + " raise max.disk.usage in etc/org.outpost.broker.cfg"));
        assertThat(broker.depth(QUEUE)).isZero();
    }

    @Test
    void whenSpaceReturnsWritesSucceedAgainAndEverythingStoredBeforeIsStillThere() {
        assertThat(writeAll("sensor", 0, 10)).containsOnlyNulls();
        broker.maxDiskUsage(1);
        assertThat(writeAll("sensor", 10, 15)).allSatisfy(e -> assertThat(e).isInstanceOf(
                StorageFullException.class));

        broker.maxDiskUsage(100);

        assertThat(writeAll("sensor", 15, 25)).containsOnlyNulls();
        // The queue counts a stored message a moment after the sender was told (Artemis adds it to the queue and
        // answers the sender in two steps after the journal's sync): wait for the count, then check it is exact.
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.depth(QUEUE) >= 20);
        assertThat(broker.depth(QUEUE)).isEqualTo(20);
    }

    @Test
    void aWriteTheBrokerDoesNotConfirmFailsAfterTheStoreTimeoutAndLaterWritesAreNotHeld() {
        // The broker takes no more sends and answers none: what a stuck journal looks like to the writer.
        Interceptor dropSends = (packet, connection) -> packet.getType() != PacketImpl.SESS_SEND;
        broker.server.getRemotingService().addIncomingInterceptor(dropSends);
        long t0 = System.nanoTime();

        List<Exception> results = writeAll("sensor", 0, 3);

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(results).allSatisfy(e -> assertThat(e).isInstanceOf(StoreTimeoutException.class)
                .hasMessageStartingWith("the broker did not confirm within 1 s that it stored the message from sensor"
                        + " for [" + QUEUE + "]; the send failed (the message may still be stored)"));
    }

    @Test
    void aSenderRefusedWhileTheDiskWasFullIsTakenAgainOnceItIsNot() {
        broker.maxDiskUsage(1);
        CompletableFuture<Exception> first = write("a", 0);
        broker.maxDiskUsage(100);

        await().atMost(Duration.ofSeconds(5)).until(() -> write("a", 1).join() == null);
        assertThat(first.join()).isInstanceOf(StorageFullException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.depth(QUEUE) >= 1);
        assertThat(broker.depth(QUEUE)).isEqualTo(1);
    }
}
