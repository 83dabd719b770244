/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.PropertyBag;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;

class CloudToDeviceTest {

    /** A router that only stores messages for module inputs, or fails to when told to. */
    private static final class StoringRouting implements Routing {
        record Stored(String module, String input, Message message) {
        }

        final List<Stored> stored = new CopyOnWriteArrayList<>();
        volatile SendException failure;

        @Override
        public CompletionStage<Void> deliver(String module, String input, Message message) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            stored.add(new Stored(module, input, message));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> route(Message message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<EndpointStatus> endpoints() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RouteStatus> routes() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> lastRejection() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long noRoute() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RouteExplanation> explain(String messageJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRoutes(String edgeHubJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkRoutes(String edgeHubJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setCloudRoutes(String edgeHubJson, long version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long noRouteTwinChanges() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String routesOrigin() {
            throw new UnsupportedOperationException();
        }
    }

    private final StoringRouting routing = new StoringRouting();
    private final CloudToDevice c2d = new CloudToDevice(routing, () -> "gw1");

    private static String topic(String device, Map<String, String> properties) {
        return new IotHubTopic.CloudToDevice(device, properties).format();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessageForAModuleInputIsStoredThereWithItsPropertiesAndIds() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PropertyBag.MESSAGE_ID, "m1");
        p.put(PropertyBag.CORRELATION_ID, "c1");
        p.put(PropertyBag.CONTENT_TYPE, "application/json");
        p.put(PropertyBag.TO, "/devices/gw1/modules/filter/inputs/control");
        p.put("command", "reset");

        c2d.arrived(topic("gw1", p), bytes("{\"x\": 1}"));

        assertThat(routing.stored).singleElement().satisfies(s -> {
            assertThat(s.module()).isEqualTo("filter");
            assertThat(s.input()).isEqualTo("control");
            assertThat(s.message().body()).isEqualTo(bytes("{\"x\": 1}"));
            assertThat(s.message().messageId()).isEqualTo("m1");
            assertThat(s.message().correlationId()).isEqualTo("c1");
            assertThat(s.message().contentType()).isEqualTo("application/json");
            assertThat(s.message().connectionDeviceId()).isEqualTo("gw1");
            assertThat(s.message().properties()).containsExactly(Map.entry("command", "reset"));
        });
    }

    @Test
    void aMessageThatNamesNoModuleInputOfThisGatewayIsDropped() throws Exception {
        c2d.arrived(topic("gw1", Map.of(PropertyBag.MESSAGE_ID, "m1")), bytes("no to"));
        c2d.arrived(topic("gw1", Map.of(PropertyBag.TO, "/devices/gw1/messages/devicebound")), bytes("device"));
        c2d.arrived(topic("gw1", Map.of(PropertyBag.TO, "/devices/other/modules/filter/inputs/in")), bytes("other"));

        assertThat(routing.stored).isEmpty();
    }

    @Test
    void aMessageOnAnotherTopicIsIgnored() throws Exception {
        c2d.arrived("devices/gw1/messages/events/", bytes("x"));
        c2d.arrived("some/topic", bytes("x"));

        assertThat(routing.stored).isEmpty();
    }

    @Test
    void aMessageThatCannotBeStoredFailsSoTheCloudSendsItAgain() {
        routing.failure = new SendException("the gateway broker did not store the message");

        assertThatThrownBy(() -> c2d.arrived(topic("gw1", Map.of(PropertyBag.TO,
                "/devices/gw1/modules/filter/inputs/in")), bytes("x")))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SendException.class);
    }
}
