/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamLinkTest {

    private UpstreamLink link;

    @AfterEach
    void stop() throws InterruptedException {
        if (link != null) {
            link.stop();
        }
    }

    private static UpstreamSettings settings(String url, long minMs, long maxMs) {
        return new UpstreamSettings(url, "", "", "", TopicTemplate.IOT_HUB_MODULE_EVENTS, 1, 30, minMs, maxMs, 10, "",
                "hub.example", 1, "");
    }

    /** @return a URL nothing listens on */
    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** @return the distinct retry delays the link goes through until it reaches {@code last} */
    private List<Long> retryDelaysUntil(long last) {
        List<Long> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            long d = link.retryDelayMs();
            if (d != 0 && (seen.isEmpty() || seen.get(seen.size() - 1) != d)) {
                seen.add(d);
            }
            return d == last;
        });
        return seen;
    }

    @Test
    void aCloudThatCannotBeReachedIsRetriedWithDelaysDoublingUpToTheCap() throws Exception {
        String url = closedPort();
        link = new UpstreamLink(settings(url, 100, 400), () -> "gw1", (topic, payload) -> { });
        link.start();

        assertThat(retryDelaysUntil(400)).containsExactly(100L, 200L, 400L);
        await().atMost(Duration.ofSeconds(3)).during(Duration.ofMillis(900))
                .until(() -> link.retryDelayMs() == 400);

        assertThat(link.state()).isIn("disconnected", "connecting");
        assertThat(link.lastError()).startsWith("cannot connect to " + url + ": ");
        assertThat(link.connectedSince()).isNull();
        assertThat(link.publisher()).isNull();
        assertThat(link.clientId()).isEqualTo("gw1");
    }

    @Test
    void whileItWaitsToRetryItSaysWhen() throws Exception {
        link = new UpstreamLink(settings(closedPort(), 5_000, 10_000), () -> "gw1", (topic, payload) -> { });
        link.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> "disconnected".equals(link.state()));

        assertThat(link.retryDelayMs()).isEqualTo(5_000);
        assertThat(link.nextRetry()).isBetween(link.lastErrorTime().plusMillis(4_900),
                link.lastErrorTime().plusMillis(5_500));
    }

    @Test
    void aNewConfigurationStartsTheBackoffAgain() throws Exception {
        link = new UpstreamLink(settings(closedPort(), 100, 200), () -> "gw1", (topic, payload) -> { });
        link.start();
        retryDelaysUntil(200);

        UpstreamSettings next = settings(closedPort(), 50, 5_000);
        link.reconfigure(next);

        assertThat(retryDelaysUntil(400)).containsSubsequence(50L, 100L, 200L, 400L);
        assertThat(link.settings()).isEqualTo(next);
    }

    @Test
    void aConnectedLinkReportsItAndALostConnectionIsRetriedFromTheShortestDelay() throws Exception {
        try (FakeMqttServer cloud = new FakeMqttServer()) {
            link = new UpstreamLink(settings(cloud.url(), 300, 60_000), () -> "gw1", (topic, payload) -> { });
            link.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(link.state()));
            assertThat(link.connectedSince()).isNotNull();
            assertThat(link.nextRetry()).isNull();
            assertThat(link.publisher().isConnected()).isTrue();

            cloud.dropConnections();

            // The connect reset the back-off: the first retry waits reconnect.min.ms, and it succeeds.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> link.retryDelayMs() == 300);
            assertThat(link.lastError()).startsWith("connection lost: ");
            await().atMost(Duration.ofSeconds(10)).until(() -> "connected".equals(link.state()));
            assertThat(link.retryDelayMs()).isZero();
        }
    }

    @Test
    void aConnectThatTimesOutClosesItsClientSoThatItCannotComeUpLater() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Takes the connection and its CONNECT, and never answers.
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            link = new UpstreamLink(settings("tcp://127.0.0.1:" + silent.getLocalPort(), 60_000, 60_000),
                    () -> "gw1", (topic, payload) -> { }, Duration.ofMillis(300));
            link.start();

            try (Socket connection = accepted.get(10, TimeUnit.SECONDS)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> "disconnected".equals(link.state()));
                assertThat(link.lastError()).startsWith("cannot connect to tcp://127.0.0.1:");
                assertThat(link.publisher()).isNull();

                // The client gave up the connection: the server reads its end, well before Paho's own 30 s.
                connection.setSoTimeout(5_000);
                InputStream in = connection.getInputStream();
                assertThat(in.readAllBytes()).as("what the client sent before it closed (a read timeout if it did"
                        + " not)").isNotNull();
            }
        }
    }

    @Test
    void aStoppedLinkSaysSoAndDoesNotRetry() throws Exception {
        link = new UpstreamLink(settings(closedPort(), 50, 100), () -> "gw1", (topic, payload) -> { });
        link.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> link.retryDelayMs() != 0);

        link.stop();

        assertThat(link.state()).isEqualTo("stopped");
        assertThat(link.publisher()).isNull();
        link = null;
    }
}
