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
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleTwin;

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
    private final List<String> reported = new ArrayList<>();
    private final ModuleTwin twin = new ModuleTwin() {
        @Override
        public String moduleId() {
            return "temperature-filter";
        }

        @Override
        public String desired() {
            return "{\"$version\":1}";
        }

        @Override
        public String reported() {
            return "{\"$version\":1}";
        }

        @Override
        public long patchReported(String patchJson) {
            reported.add(patchJson);
            return reported.size() + 1;
        }
    };
    private final TemperatureFilter filter = new TemperatureFilter(client, twin, config(30));

    @Test
    void reportsTheThresholdItUsesAndCountsInItsStatsMethod() throws Exception {
        filter.modified(config(31.5));
        filter.onMessage(reading(40));
        filter.onMessage(reading(20));

        assertThat(reported).containsExactly("{\"threshold\":30.0}", "{\"threshold\":31.5}");
        assertThat(filter.invoke("null")).isEqualTo(MethodHandler.Result.ok(
                "{\"threshold\":31.5,\"readings\":2,\"alerts\":1}"));
    }

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
