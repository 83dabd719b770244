/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.api.metrics.MetricSample;

class MetricsRegistryTest {

    private final MetricsRegistry metrics = new MetricsRegistry();

    @Test
    void countersWithTheSameNameAndLabelsAreOne() {
        metrics.counter("messages_sent_total", "from", "sensor", "to", "$upstream").increment();
        metrics.counter("messages_sent_total", "from", "sensor", "to", "$upstream").add(2);
        metrics.counter("messages_sent_total", "from", "filter", "to", "$upstream").increment();

        List<MetricSample> samples = metrics.samples();
        assertThat(samples).extracting(MetricSample::labels, MetricSample::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Map.of("from", "filter", "to", "$upstream"), 1.0),
                org.assertj.core.groups.Tuple.tuple(Map.of("from", "sensor", "to", "$upstream"), 3.0));
    }

    @Test
    void timersReportCountSumAndQuantiles() {
        metrics.timer("message_send_duration_seconds", "to", "$upstream").record(2_000_000);
        MetricSample s = metrics.samples().get(0);
        assertThat(s.type()).isEqualTo("summary");
        assertThat(s.value()).isEqualTo(1);
        assertThat(s.sumSeconds()).isEqualTo(0.002);
        assertThat(s.quantiles()).containsOnlyKeys("0.5", "0.99", "0.999");
    }

    @Test
    void measuredValuesAreReadWhenSampledAndGoneWhenClosed() throws Exception {
        long[] length = {7};
        AutoCloseable registration = metrics.measured("queue_length", "gauge",
                () -> Map.of(Map.of("endpoint", "$upstream"), (double) length[0]));
        assertThat(metrics.samples()).extracting(MetricSample::value).containsExactly(7.0);
        length[0] = 9;
        assertThat(metrics.samples()).extracting(MetricSample::value).containsExactly(9.0);
        registration.close();
        assertThat(metrics.samples()).isEmpty();
    }

    @Test
    void labelsComeInPairs() {
        assertThatThrownBy(() -> metrics.counter("x", "from")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
    }
}
