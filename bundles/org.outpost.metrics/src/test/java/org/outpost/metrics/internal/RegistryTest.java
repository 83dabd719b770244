/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.outpost.api.metrics.MetricSample;

class RegistryTest {

    private final AtomicLong now = new AtomicLong();
    private final Registry metrics = new Registry(TimeUnit.MINUTES.toNanos(10), now::get);

    @Test
    void countersWithTheSameNameAndLabelsAreOne() {
        metrics.counter("edgehub_messages_sent_total", "from", "sensor", "to", "$upstream").increment();
        metrics.counter("edgehub_messages_sent_total", "to", "$upstream", "from", "sensor").add(2);
        metrics.counter("edgehub_messages_sent_total", "from", "filter", "to", "$upstream").increment();

        assertThat(metrics.samples()).extracting(MetricSample::labels, MetricSample::value).containsExactly(
                tuple(Map.of("from", "filter", "to", "$upstream"), 1.0),
                tuple(Map.of("from", "sensor", "to", "$upstream"), 3.0));
    }

    @Test
    void timersReportCountSumAndEdgeHubsQuantilesInSeconds() {
        metrics.timer("edgehub_message_send_duration_seconds", "to", "$upstream").record(2_000_000);
        MetricSample s = metrics.samples().get(0);
        assertThat(s.type()).isEqualTo("summary");
        assertThat(s.value()).isEqualTo(1);
        assertThat(s.sumSeconds()).isEqualTo(0.002);
        assertThat(s.quantiles()).containsOnlyKeys("0.5", "0.9", "0.95", "0.99", "0.999", "0.9999");
        assertThat(s.quantiles().get("0.99")).isBetween(0.002, 0.00213);
    }

    @Test
    void quantilesForgetWhatIsOlderThanTheWindowButCountAndSumDoNot() {
        org.outpost.api.metrics.Metrics.Timer t = metrics.timer("edgehub_gettwin_duration_seconds");
        t.record(TimeUnit.SECONDS.toNanos(1));
        now.addAndGet(TimeUnit.MINUTES.toNanos(5));
        metrics.samples(); // a scrape: the window moves when read
        t.record(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(metrics.samples().get(0).quantiles().get("0.99")).isGreaterThan(0.9);

        now.addAndGet(TimeUnit.MINUTES.toNanos(6));
        MetricSample s = metrics.samples().get(0);
        assertThat(s.quantiles().get("0.99")).isLessThan(0.0011);
        assertThat(s.value()).isEqualTo(2);

        now.addAndGet(TimeUnit.MINUTES.toNanos(30));
        s = metrics.samples().get(0);
        assertThat(s.quantiles().get("0.5")).isNaN();
        assertThat(s.value()).isEqualTo(2);
        assertThat(s.sumSeconds()).isEqualTo(1.001);
    }

    @Test
    void measuredValuesAreReadWhenSampledAndGoneWhenClosed() throws Exception {
        long[] length = {7};
        AutoCloseable registration = metrics.measured("edgehub_queue_length", "gauge",
                () -> Map.of(Map.of("endpoint", "$upstream"), (double) length[0]));
        assertThat(metrics.samples()).extracting(MetricSample::value).containsExactly(7.0);
        length[0] = 9;
        assertThat(metrics.samples()).extracting(MetricSample::value).containsExactly(9.0);
        registration.close();
        assertThat(metrics.samples()).isEmpty();
    }

    @Test
    void aMeasuredCounterAndACounterOfTheSameSeriesAreSummed() {
        metrics.counter("edgehub_messages_dropped_total", "reason", "ttl_expiry", "to", "$upstream").add(2);
        metrics.measured("edgehub_messages_dropped_total", "counter",
                () -> Map.of(Map.of("reason", "ttl_expiry", "to", "$upstream"), 3.0));
        assertThat(metrics.samples()).extracting(MetricSample::value).containsExactly(5.0);
    }

    @Test
    void aNameKeepsItsType() {
        metrics.counter("edgehub_gettwin_total");
        assertThatThrownBy(() -> metrics.timer("edgehub_gettwin_total"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric edgehub_gettwin_total is a counter already and cannot also be a summary: give it"
                        + " another name");
        assertThatThrownBy(() -> metrics.measured("edgehub_gettwin_total", "gauge", Map::of))
                .hasMessageContaining("is a counter already");
    }

    @Test
    void namesAndLabelsMustBePrometheusNames() {
        assertThatThrownBy(() -> metrics.counter("x", "from")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
        assertThatThrownBy(() -> metrics.counter("messages.sent")).hasMessageContaining(
                "'messages.sent' is not a valid Prometheus metric name");
        assertThatThrownBy(() -> metrics.counter("ok_total", "to-module", "x")).hasMessageContaining(
                "'to-module' is not a valid Prometheus label name");
        assertThatThrownBy(() -> metrics.measured("ok", "histogram", Map::of)).hasMessageContaining(
                "a gauge or a counter");
    }
}
