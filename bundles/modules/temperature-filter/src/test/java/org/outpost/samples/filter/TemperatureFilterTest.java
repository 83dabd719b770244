/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.samples.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleClient;

class TemperatureFilterTest {

    private final List<Message> sent = new ArrayList<>();
    private final ModuleClient client = new ModuleClient() {
        @Override
        public String moduleId() {
            return "temperature-filter";
        }

        @Override
        public String deviceId() {
            return "gw";
        }

        @Override
        public void send(String output, Message message) {
            assertThat(output).isEqualTo("output1");
            sent.add(message);
        }

        @Override
        public CompletionStage<Void> sendAsync(String output, Message message) {
            send(output, message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.ThreadFactory threadFactory() {
            return java.util.concurrent.Executors.defaultThreadFactory();
        }
    };
    private final TemperatureFilter filter = new TemperatureFilter(client, config(30));

    @Test
    void forwardsHotReadingsAsAlerts() throws Exception {
        filter.onMessage(reading(30.5));

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).properties()).containsEntry("MessageType", "Alert").containsEntry("k", "v");
        assertThat(sent.get(0).bodyAsString()).contains("30.5");
    }

    @Test
    void dropsReadingsAtOrBelowTheThreshold() throws Exception {
        filter.onMessage(reading(30));
        filter.onMessage(reading(12));

        assertThat(sent).isEmpty();
    }

    @Test
    void dropsWhatIsNotAReading() throws Exception {
        filter.onMessage(Message.builder().body("not json").build());
        filter.onMessage(Message.builder().json("{\"machine\":{\"temperature\":\"hot\"}}").build());

        assertThat(sent).isEmpty();
    }

    private static Message reading(double t) {
        return Message.builder().json("{\"machine\":{\"temperature\":" + t + "}}").property("k", "v").build();
    }

    private static TemperatureFilter.Config config(double threshold) {
        return new TemperatureFilter.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return TemperatureFilter.Config.class;
            }

            @Override
            public double threshold() {
                return threshold;
            }
        };
    }
}
