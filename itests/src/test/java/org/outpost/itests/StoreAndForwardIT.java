/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.Test;
import org.outpost.api.message.Message;

/** While the cloud is down the gateway keeps accepting messages; when it is back, all arrive, in order. */
public class StoreAndForwardIT extends OutpostTestSupport {

    private static final int COUNT = 300;

    @Test
    public void cloudOutageLosesNothingAndKeepsTheOrder() throws Exception {
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-store-and-forward")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> upstream.status().state().equals("connected"));

            cloud.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !upstream.status().state().equals("connected"));
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
}
