/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.hub.metrics.MetricSeries;

class MetricsResourceTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final List<MetricSeries.Query> queries = new ArrayList<>();
    private final FakeHub hub = new FakeHub();

    private MetricsResource resource() {
        hub.add("gw-1", null);
        MetricSeries metrics = Stub.of(MetricSeries.class).on("query", a -> {
            queries.add((MetricSeries.Query) a[0]);
            return List.of(new MetricSeries.Series("edgehub_messages_sent_total", Map.of("from", "sensor"),
                    "counter", NOW.toEpochMilli(), List.of(new MetricSeries.Point(NOW.toEpochMilli(), 2.5))));
        }).on("series", a -> List.of()).build();
        return new MetricsResource(metrics, hub.registry(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aDevicesSeriesComeAsJsonWithTheRangeAndPointsAsTimeAndValue() throws Exception {
        MetricsResource r = resource();

        String json = ApiJson.MAPPER.writeValueAsString(r.device("gw-1", List.of("edgehub_messages_*"), "PT15M",
                null, null, null, "true", null));

        assertThat(json).isEqualTo("{\n  \"deviceId\" : \"gw-1\",\n  \"from\" : \"2026-12-05T09:45:00Z\",\n"
                + "  \"to\" : \"2026-12-05T10:00:00Z\",\n  \"resolution\" : \"auto\",\n  \"rate\" : true,\n"
                + "  \"series\" : [ {\n    \"name\" : \"edgehub_messages_sent_total\",\n    \"labels\" : {\n"
                + "      \"from\" : \"sensor\"\n    },\n    \"kind\" : \"counter\",\n"
                + "    \"lastTime\" : 1796464800000,\n    \"points\" : [ {\n      \"t\" : 1796464800000,\n"
                + "      \"v\" : 2.5\n    } ]\n  } ]\n}");
        assertThat(queries.get(0)).isEqualTo(new MetricSeries.Query("gw-1", List.of("edgehub_messages_*"), NOW
                .minusSeconds(900), NOW, MetricSeries.Resolution.AUTO, true, 300));
    }

    @Test
    void theFleetIsQueriedUnderItsOwnIdWithAnExplicitRange() {
        MetricsResource r = resource();

        r.fleet(List.of(), null, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "rollup", null, "50");

        assertThat(queries.get(0)).isEqualTo(new MetricSeries.Query("$fleet", List.of(), Instant.parse(
                "2026-12-01T00:00:00Z"), Instant.parse("2026-12-02T00:00:00Z"), MetricSeries.Resolution.ROLLUP,
                false, 50));
    }

    @Test
    void anUnknownDeviceIs404() {
        MetricsResource r = resource();
        assertThatThrownBy(() -> r.device("nope", List.of(), null, null, null, null, null, null))
                .isInstanceOf(ApiException.class).hasMessage("no device 'nope'");
        assertThatThrownBy(() -> r.deviceSeries("nope")).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "-|1h|-|-|-|-|since is an ISO-8601 duration such as PT1H or P7D, not '1h'",
        "-|-|yesterday|-|-|-|from is an ISO-8601 instant such as 2026-12-05T10:00:00Z, not 'yesterday'",
        "-|-|2026-12-06T00:00:00Z|-|-|-|from (2026-12-06T00:00:00Z) must be before to (2026-12-05T10:00:00Z)",
        "-|P500D|-|-|-|-|the range is longer than 400 days",
        "-|-|-|fine|-|-|resolution is auto, raw or rollup, not 'fine'",
        "-|-|-|-|yes|-|rate is 'true' or 'false'",
        "-|-|-|-|-|1|points is a number from 2 to 5000, not '1'",
        "a;b|-|-|-|-|-|name 'a;b' is not a metric name or glob (letters, digits, _, :, * and ?)"
    })
    void badParametersAre400SayingWhat(String name, String since, String from, String resolution, String rate,
            String points, String error) {
        MetricsResource r = resource();
        assertThatThrownBy(() -> r.device("gw-1", name == null ? null : List.of(name), since, from, null,
                resolution, rate, points)).isInstanceOf(ApiException.class).hasMessage(error);
    }
}
