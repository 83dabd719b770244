/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.Subscription;

/** The inputs against a real in-VM broker (not persistent), with the routes the test names. */
class QueuedInputsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Fakes.InVmBroker broker = new Fakes.InVmBroker();
    private final Fakes.Router router = new Fakes.Router();
    private final QueuedInputs inputs = new QueuedInputs(broker, router);
    private final Identity filter = Identity.module("gw1", "filter");
    private final AtomicInteger arrivals = new AtomicInteger();

    QueuedInputsTest() throws Exception {
        router.route("toFilter", "FROM /messages/modules/sensor/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in1\")",
                "BrokeredEndpoint(\"/modules/filter/inputs/in1\")");
        router.route("up", "FROM /messages/* INTO $upstream", "$upstream");
    }

    @AfterEach
    void close() throws Exception {
        inputs.close();
        broker.close();
    }

    private void store(String input, String body) throws Exception {
        broker.store("filter", input, Message.builder().body(body).messageId("id-" + body).connectionModuleId(
                "sensor").outputName("out").property("k", "v").build());
    }

    private List<InputMessage> waitFor(int n) {
        await().atMost(WAIT).until(() -> inputs.waiting(filter, 0, 100).size() >= n);
        return inputs.waiting(filter, 0, 100);
    }

    private static List<String> bodies(List<InputMessage> messages) {
        return messages.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aConnectedModuleGetsItsRoutedInputsMessagesInOrderWithTheirProperties() throws Exception {
        store("in1", "one");
        Subscription s = inputs.onMessage(filter, arrivals::incrementAndGet);
        store("in1", "two");

        List<InputMessage> waiting = waitFor(2);

        assertThat(bodies(waiting)).containsExactly("one", "two");
        InputMessage first = waiting.get(0);
        assertThat(first.input()).isEqualTo("in1");
        assertThat(first.properties()).containsEntry("$.mid", "id-one").containsEntry("$.cmid", "sensor")
                .containsEntry("$.on", "out").containsEntry("k", "v");
        assertThat(inputs.waiting(filter, first.seq(), 10)).extracting(InputMessage::seq).containsExactly(
                waiting.get(1).seq());
        assertThat(arrivals.get()).isGreaterThanOrEqualTo(2);
        s.close();
    }

    @Test
    void aDeliveredMessageLeavesItsQueueAndTheUnacknowledgedComeBackInOrderOnTheNextConnection() throws Exception {
        for (String b : new String[] {"a", "b", "c"}) {
            store("in1", b);
        }
        Subscription first = inputs.onMessage(filter, () -> { });
        List<InputMessage> got = waitFor(3);
        inputs.delivered(filter, got.get(0));
        await().atMost(WAIT).until(() -> broker.depth("outpost.modules.filter.inputs.in1") == 2);

        first.close();
        Subscription second = inputs.onMessage(filter, () -> { });

        assertThat(bodies(waitFor(2))).containsExactly("b", "c");
        second.close();
        assertThat(broker.depth("outpost.modules.filter.inputs.in1")).isEqualTo(2);
    }

    @Test
    void aNewConnectionOfTheModuleTakesOverFromTheOldOne() throws Exception {
        store("in1", "a");
        Subscription old = inputs.onMessage(filter, () -> { });
        waitFor(1);

        Subscription again = inputs.onMessage(filter, () -> { });
        old.close();

        assertThat(bodies(waitFor(1))).containsExactly("a");
        again.close();
    }

    @Test
    void onlyTheInputsRoutesNameAreConsumedAndOnesAddedLaterAreFound() throws Exception {
        store("other", "not routed");
        Subscription s = inputs.onMessage(filter, () -> { });
        assertThat(inputs.routedInputs("filter")).containsExactly("in1");
        assertThat(inputs.routedInputs("sensor")).isEmpty();

        router.route("late", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/other\")",
                "BrokeredEndpoint(\"/modules/filter/inputs/other\")");

        assertThat(bodies(waitFor(1))).containsExactly("not routed");
        assertThat(waitFor(1).get(0).input()).isEqualTo("other");
        s.close();
    }
}
