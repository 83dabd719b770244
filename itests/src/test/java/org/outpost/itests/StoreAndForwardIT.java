/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;
import org.outpost.routing.api.EndpointStatus;

/** While the cloud is down the gateway keeps accepting messages; when it is back, all arrive, in order. */
public class StoreAndForwardIT extends OutpostTestSupport {

    private static final int COUNT = 300;

    @Test
    public void cloudOutageLosesNothingAndKeepsTheOrder() throws Exception {
        setRoutes(Map.of("route.all", "FROM /messages/* INTO $upstream"));
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-store-and-forward")) {
            takeTheCloudAway(cloud);
            long queuedBefore = upstream.status().queued();
            for (int i = 1; i <= COUNT; i++) {
                runtime.inject("outage-test", "out", Message.builder().json("{\"n\":" + i + "}")
                        .property("sequence", Integer.toString(i)).build());
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> upstream.status().queued() >= queuedBefore + COUNT);
            assertThat(upstream.status().lastError()).isNotEmpty();
            assertThat(shell("edge:upstream")).containsPattern("Queued\\s*\\|\\s*[1-9]");
            assertThat(sub.from("outage-test")).isEmpty();

            cloud.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> sub.from("outage-test").size() >= COUNT);

            List<Long> sequence = sub.from("outage-test").stream()
                    .map(r -> Long.parseLong(r.topic().properties().get("sequence"))).collect(Collectors.toList());
            assertThat(sequence).as("every message, once, in the order sent")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, COUNT).boxed().toList());
        }
    }

    @Test
    public void aPriorityZeroMessageOvertakesABacklogWhileTheCloudIsAway() throws Exception {
        setRoutes(Map.of("route.urgent", "FROM /messages/modules/urgent/* INTO $upstream",
                "route.urgent.priority", "0",
                "route.bulk", "FROM /messages/modules/bulk/* INTO $upstream"));
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-priority")) {
            takeTheCloudAway(cloud);
            long queuedBefore = upstream.status().queued();
            for (int i = 1; i <= 50; i++) {
                runtime.inject("bulk", "out", Message.builder().json("{\"n\":" + i + "}")
                        .property("sequence", Integer.toString(i)).build());
            }
            runtime.inject("urgent", "out", Message.builder().json("{\"alarm\":true}").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> upstream.status().queued() >= queuedBefore + 51);

            cloud.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> sub.from("bulk").size() >= 50
                    && sub.from("urgent").size() == 1);

            List<String> order = sub.all().stream().map(r -> r.topic().moduleId()).toList();
            // The route may already hold the backlog's head, waiting for the cloud; the urgent message comes next.
            assertThat(order.indexOf("urgent")).as("arrival order " + order).isLessThanOrEqualTo(1);
            assertThat(sub.from("bulk").stream().map(r -> Long.parseLong(r.topic().properties().get("sequence"))))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        }
    }

    @Test
    public void messagesPastTheirTimeToLiveAreDroppedAndCountedNeverDelivered() throws Exception {
        setRoutes(Map.of("route.ephemeral", "FROM /messages/modules/ephemeral/* INTO $upstream",
                "route.ephemeral.timeToLiveSecs", "1",
                "route.marker", "FROM /messages/modules/marker/* INTO $upstream"));
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-ttl")) {
            takeTheCloudAway(cloud);
            long expiredBefore = upstream.status().expired();
            for (int i = 1; i <= 10; i++) {
                runtime.inject("ephemeral", "out", Message.builder().json("{\"n\":" + i + "}").build());
            }
            // The broker drops expired messages within a second of their expiry; the one the route may hold
            // is dropped when it would be sent.
            await().atMost(Duration.ofSeconds(30)).until(() -> upstream.status().expired() >= expiredBefore + 9);

            cloud.start();
            runtime.inject("marker", "out", Message.builder().json("{}").build());
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("marker").size() == 1);
            assertThat(sub.from("ephemeral")).isEmpty();
            assertThat(upstream.status().expired()).isEqualTo(expiredBefore + 10);
            assertThat(shell("edge:upstream")).containsPattern("Expired\\s*\\|\\s*" + (expiredBefore + 10));
        }
    }

    @Test
    public void changingRoutesKeepsTheBacklog() throws Exception {
        setRoutes(Map.of("route.before", "FROM /messages/modules/backlog/* INTO $upstream"));
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-route-change-backlog")) {
            takeTheCloudAway(cloud);
            for (int i = 1; i <= 100; i++) {
                runtime.inject("backlog", "out", Message.builder().json("{\"n\":" + i + "}")
                        .property("sequence", Integer.toString(i)).build());
            }
            // The route that queued them is gone; what it queued stays queued and is delivered.
            setRoutes(Map.of("route.after", "FROM /messages/modules/backlog/* WHERE $body.n > 1000 INTO $upstream"));
            runtime.inject("backlog", "out", Message.builder().json("{\"n\":1001}").property("sequence", "1001")
                    .build());
            cloud.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("backlog").size() >= 101);
            assertThat(sub.from("backlog").stream().map(r -> Long.parseLong(r.topic().properties().get("sequence"))))
                    .containsExactlyElementsOf(LongStream.concat(LongStream.rangeClosed(1, 100), LongStream.of(1001))
                            .boxed().toList());
        }
    }

    @Test
    public void aFullEndpointRejectsTheSenderUnlessItDropsTheOldest() throws Exception {
        setRoutes(Map.of("route.fill", "FROM /messages/modules/fill/* INTO $upstream",
                "storeAndForward.maxBytesPerEndpoint", "32768"));
        String pad = "x".repeat(1000);
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-endpoint-full")) {
            takeTheCloudAway(cloud);
            int stored = 0;
            SendException rejected = null;
            for (int n = 1; n <= 200 && rejected == null; n++) {
                try {
                    runtime.inject("fill", "out", Message.builder().json("{\"n\":" + n + ",\"pad\":\"" + pad + "\"}")
                            .property("n", Integer.toString(n)).build());
                    stored++;
                } catch (SendException e) {
                    rejected = e;
                }
            }
            assertThat(rejected).as("the send that found $upstream full").isNotNull();
            assertThat(rejected.getMessage()).contains("endpoint $upstream is full", "storeAndForward.whenFull");
            assertThat(stored).as("1 KB messages that fit in 32 KB").isBetween(10, 32);
            assertThat(upstreamEndpoint().rejected()).isGreaterThanOrEqualTo(1);
            assertThat(shell("edge:routes")).contains("$upstream").containsPattern("reject\\s*\\|");

            // Under drop-oldest the sender is never refused: the oldest messages make room for the newest.
            setRoutes(Map.of("route.fill", "FROM /messages/modules/fill/* INTO $upstream",
                    "storeAndForward.maxBytesPerEndpoint", "32768", "storeAndForward.whenFull", "drop-oldest"));
            for (int n = 1001; n <= 1060; n++) {
                runtime.inject("fill", "out", Message.builder().json("{\"n\":" + n + ",\"pad\":\"" + pad + "\"}")
                        .property("n", Integer.toString(n)).build());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> upstreamEndpoint().droppedFull() > 0);
            cloud.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> sub.from("fill").stream()
                    .anyMatch(r -> r.topic().properties().get("n").equals("1060")));
            List<Long> arrived = sub.from("fill").stream().map(r -> Long.parseLong(r.topic().properties().get("n")))
                    .toList();
            assertThat(arrived).as("the oldest were dropped, the newest kept, in order").doesNotContain(1L)
                    .contains(1060L).isSorted();
            assertThat(arrived.size() + upstreamEndpoint().droppedFull()).as("delivered + dropped = accepted")
                    .isEqualTo(stored + 60);
        }
    }

    private EndpointStatus upstreamEndpoint() {
        return routing.endpoints().stream().filter(e -> e.endpoint().equals("$upstream")).findFirst().orElseThrow();
    }

    /** Waits until the gateway is connected to the cloud, stops the cloud, and waits until the gateway noticed. */
    private void takeTheCloudAway(Mosquitto cloud) {
        await().atMost(Duration.ofSeconds(60)).until(() -> upstream.status().state().equals("connected"));
        cloud.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !upstream.status().state().equals("connected"));
    }
}
