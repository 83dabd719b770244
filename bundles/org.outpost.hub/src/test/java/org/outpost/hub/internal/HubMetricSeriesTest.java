/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.api.message.Message;
import org.outpost.api.config.ConfigValues;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.metrics.MetricSeries;
import org.outpost.hub.metrics.MetricSeries.Point;
import org.outpost.hub.metrics.MetricSeries.Query;
import org.outpost.hub.metrics.MetricSeries.Resolution;
import org.outpost.hub.storage.internal.Database;

/**
 * Metrics at the hub against the real embedded database: ingestion, rollups, queries, retention, the fleet. With
 * {@code -Doutpost.test.postgres=jdbc:postgresql://127.0.0.1:<port>/<db>} (user and password {@code outpost} /
 * {@code outpost-test}, as testing/postgres-server makes them) the same cases run on PostgreSQL.
 */
class HubMetricSeriesTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private HubMetricSeries metrics;
    private final List<Consumer<Telemetry.Received>> listeners = new ArrayList<>();
    private volatile Fleet.Health health = new Fleet.Health(3, 2, 0, 0, List.of(), List.of());

    private static final long MINUTE = 60_000;

    @BeforeEach
    void setUp() {
        String postgres = System.getProperty("outpost.test.postgres", "");
        db = new Database(postgres.isEmpty() ? Database.Settings.embedded(dir) : new Database.Settings(postgres,
                "outpost", "outpost-test", 10, ""));
        db.transaction("starting with no series", c -> c.createStatement().executeUpdate("DELETE FROM metric_series"));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.devices().forEach(d -> devices.delete(d.id()));
        devices.create("gw-1");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (metrics != null) {
            metrics.deactivate();
        }
        devices.deactivate();
        db.close();
    }

    private HubMetricSeries start(int fleetSampleSeconds) {
        Telemetry telemetry = proxy(Telemetry.class, (m, args) -> {
            if (m.equals("subscribe")) {
                @SuppressWarnings("unchecked")
                Consumer<Telemetry.Received> l = (Consumer<Telemetry.Received>) args[0];
                listeners.add(l);
                return (AutoCloseable) () -> listeners.remove(l);
            }
            throw new UnsupportedOperationException(m);
        });
        Fleet fleet = proxy(Fleet.class, (m, args) -> health);
        Deployments deployments = proxy(Deployments.class, (m, args) -> List.of());
        HubMetricSeries.Config defaults = ConfigValues.defaults(HubMetricSeries.Config.class);
        HubMetricSeries.Config config = proxy(HubMetricSeries.Config.class, (m, args) -> m.equals(
                "fleet_sample_seconds") ? fleetSampleSeconds : m.equals("annotationType") ? HubMetricSeries.Config.class
                        : invoke(defaults, m));
        metrics = new HubMetricSeries(db, devices, telemetry, fleet, deployments, config);
        return metrics;
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer a) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> a.answer(
                m.getName(), args));
    }

    private static Object invoke(Object target, String method) throws Exception {
        return target.getClass().getMethod(method).invoke(target);
    }

    private static String body(Instant t, String... nameValueLabels) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < nameValueLabels.length; i += 3) {
            b.append(i == 0 ? "" : ",").append("{\"TimeGeneratedUtc\":\"").append(t).append("\",\"Name\":\"")
                    .append(nameValueLabels[i]).append("\",\"Value\":").append(nameValueLabels[i + 1])
                    .append(",\"Labels\":").append(nameValueLabels[i + 2]).append('}');
        }
        return b.append(']').toString();
    }

    private void send(String device, byte[] body) {
        Message m = Message.builder().body(body).outputName("metricOutput").property("id",
                "origin-iotedge-metrics-collector").build();
        listeners.forEach(l -> l.accept(new Telemetry.Received(1, device, "metricscollector", m)));
    }

    private List<MetricSeries.Series> query(String device, String name, Instant from, Instant to, Resolution r,
            boolean rate) {
        return metrics.query(new Query(device, name == null ? List.of() : List.of(name), from, to, r, rate, 0));
    }

    @Test
    void aGatewaysMetricsCollectorMessagesBecomeItsSeriesAndOtherTelemetryDoesNot() {
        start(0);
        Instant t = Instant.now().minusSeconds(60);
        send("gw-1", body(t, "edgehub_messages_sent_total", "10", "{\"from\":\"sensor\",\"to\":\"upstream\"}",
                "edgehub_queue_length", "3", "{\"endpoint\":\"$upstream\"}").getBytes(StandardCharsets.UTF_8));
        Message plain = Message.builder().body(body(t, "x_total", "1", "{}")).build();
        listeners.forEach(l -> l.accept(new Telemetry.Received(2, "gw-1", "sensor", plain)));

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.series("gw-1").size() == 2);
        List<MetricSeries.Series> series = metrics.series("gw-1");
        assertThat(series).extracting(MetricSeries.Series::name, MetricSeries.Series::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("edgehub_messages_sent_total", "counter"),
                org.assertj.core.groups.Tuple.tuple("edgehub_queue_length", "gauge"));
        assertThat(series.get(0).labels()).isEqualTo(Map.of("from", "sensor", "to", "upstream"));
        assertThat(series.get(1).lastTime()).isEqualTo(t.toEpochMilli());
        assertThat(query("gw-1", "edgehub_queue_*", t.minusSeconds(1), t.plusSeconds(1), Resolution.RAW, false)
                .get(0).points()).containsExactly(new Point(t.toEpochMilli(), 3));
    }

    @Test
    void aDeletedDevicesSeriesGoWithIt() {
        start(0);
        metrics.ingest("gw-1", body(Instant.now(), "edgehub_queue_length", "1", "{}").getBytes(
                StandardCharsets.UTF_8), Instant.now());
        assertThat(metrics.series("gw-1")).hasSize(1);

        devices.delete("gw-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.series("gw-1").isEmpty());
    }

    @Test
    void aGzippedBodyAsMetricsCollectorSendsItByDefaultIsReadToo() throws Exception {
        start(0);
        Instant t = Instant.now().minusSeconds(10);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body(t, "edgeAgent_used_memory_bytes", "1048576", "{\"module_name\":\"filter\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        send("gw-1", gz.toByteArray());

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.series("gw-1").size() == 1);
    }

    @Test
    void aMessageSentTwiceCountsOnceInTheRollupsAndCountersBecomeRatesAcrossAReset() {
        start(0);
        long bucket = Math.floorDiv(System.currentTimeMillis() - 60 * MINUTE, 5 * MINUTE) * 5 * MINUTE;
        Instant t0 = Instant.ofEpochMilli(bucket);
        double[] counter = {100, 160, 40};
        double[] gauge = {1, 2, 6};
        for (int i = 0; i < 3; i++) {
            metrics.ingest("gw-1", body(t0.plusSeconds(60L * i), "edgehub_messages_received_total",
                    Double.toString(counter[i]), "{}", "edgehub_queue_length", Double.toString(gauge[i]), "{}")
                    .getBytes(StandardCharsets.UTF_8), Instant.now());
        }
        // At least once: the second message arrives again.
        metrics.ingest("gw-1", body(t0.plusSeconds(60), "edgehub_messages_received_total", "160", "{}",
                "edgehub_queue_length", "2", "{}").getBytes(StandardCharsets.UTF_8), Instant.now());

        List<MetricSeries.Series> rollups = query("gw-1", null, t0, t0.plusSeconds(300), Resolution.ROLLUP, false);
        assertThat(rollups.get(0).points()).as("a counter's rollup: its last value").containsExactly(new Point(t0
                .plusSeconds(120).toEpochMilli(), 40));
        assertThat(rollups.get(1).points()).as("a gauge's rollup: its mean, each point once").containsExactly(
                new Point(bucket, 3));
        List<MetricSeries.Series> rates = query("gw-1", "edgehub_messages_received_total", t0, t0.plusSeconds(300),
                Resolution.RAW, true);
        // 60 more in 60 s; then the gateway restarted and counted 40 since.
        assertThat(rates.get(0).points()).containsExactly(new Point(t0.plusSeconds(60).toEpochMilli(), 1.0),
                new Point(t0.plusSeconds(120).toEpochMilli(), 40 / 60.0));
    }

    @Test
    void autoReadsRawPointsWithinTheRawRetentionAndRollupsBeyondItAndMergesManyPointsIntoSteps() {
        start(0);
        Instant t0 = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 60; i++) {
            metrics.ingest("gw-1", body(t0.plusSeconds(60L * i), "edgehub_queue_length", Integer.toString(i), "{}")
                    .getBytes(StandardCharsets.UTF_8), Instant.now());
        }
        Instant now = Instant.now();

        assertThat(query("gw-1", null, t0, now, Resolution.AUTO, false).get(0).points()).hasSize(60);
        assertThat(query("gw-1", null, now.minus(Duration.ofDays(2)), now, Resolution.AUTO, false).get(0).points())
                .hasSizeBetween(12, 13);
        assertThat(metrics.query(new Query("gw-1", List.of(), t0, now, Resolution.RAW, false, 10)).get(0).points())
                .hasSizeLessThanOrEqualTo(11);
    }

    @Test
    void retentionDeletesOldRawPointsThenOldRollupsThenTheSeriesLeftEmpty() {
        start(0);
        MetricRepository repo = new MetricRepository(db, 5 * MINUTE, 100);
        long now = System.currentTimeMillis();
        repo.store("gw-1", now - 2 * 24 * 60 * MINUTE, List.of(new MetricRepository.Value("edgehub_queue_length",
                Map.of(), "gauge", 5)));
        repo.store("gw-1", now, List.of(new MetricRepository.Value("edgehub_queue_length", Map.of("e", "x"),
                "gauge", 5)));

        repo.deleteOlder(now - 24 * 60 * MINUTE, now - 30L * 24 * 60 * MINUTE);
        assertThat(repo.series("gw-1")).hasSize(2);
        assertThat(query("gw-1", null, Instant.ofEpochMilli(now).minus(Duration.ofDays(3)), Instant.ofEpochMilli(
                now + 1), Resolution.RAW, false)).allSatisfy(s -> assertThat(s.points()).hasSizeLessThanOrEqualTo(1))
                .extracting(s -> s.points().size()).as("sorted by labels").containsExactly(1, 0);

        repo.deleteOlder(now - 24 * 60 * MINUTE, now - 24 * 60 * MINUTE);
        assertThat(repo.series("gw-1")).extracting(MetricRepository.Stored::labels).containsExactly("{\"e\":\"x\"}");
    }

    @Test
    void aDeviceGetsNoMoreSeriesThanItMay() {
        MetricRepository repo = new MetricRepository(db, 5 * MINUTE, 2);
        List<MetricRepository.Value> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(new MetricRepository.Value("m", Map.of("i", Integer.toString(i)), "gauge", i));
        }

        assertThat(repo.store("gw-1", System.currentTimeMillis(), values)).isEqualTo(2);
        assertThat(repo.series("gw-1")).hasSize(2);
    }

    @Test
    void theHubSamplesTheFleetsOwnSeries() {
        start(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.series(MetricSeries.FLEET).size() >= 5);
        List<MetricSeries.Series> connected = query(MetricSeries.FLEET, "outpost_fleet_devices_connected", Instant
                .now().minusSeconds(60), Instant.now().plusSeconds(1), Resolution.AUTO, false);
        assertThat(connected.get(0).points()).isNotEmpty().allSatisfy(p -> assertThat(p.v()).isEqualTo(2));
        assertThat(metrics.series(MetricSeries.FLEET)).extracting(MetricSeries.Series::name).contains(
                "outpost_fleet_devices", "outpost_fleet_modules_failing", "outpost_fleet_deployment_devices");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Name\": \"x\"}|the body is not a JSON array of metrics (TransformForIoTCentral's form is not read: turn it off)",
        "not json|the body is not JSON: ",
    })
    void aBodyThatIsNotAMetricsArrayIsRefusedSayingWhy(String body, String error) {
        assertThatThrownBy(() -> MetricsPayload.parse(body.getBytes(StandardCharsets.UTF_8), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(error);
    }

    @Test
    void valuesWithoutANameANumberOrWithNetTimesAreReadAsFarAsTheyCanBe() {
        Instant received = Instant.parse("2026-12-05T10:00:00Z");
        List<MetricsPayload.Timed> values = MetricsPayload.parse(("[{\"Name\": \"bad name\", \"Value\": 1},"
                + " {\"Name\": \"a\", \"Value\": \"NaN\"}, {\"Name\": \"b_total\", \"Value\": 2,"
                + " \"TimeGeneratedUtc\": \"2020-07-28T20:00:43.2770247Z\", \"Label\": {\"q\": 0.5}},"
                + " {\"Name\": \"c\", \"Value\": 3}]").getBytes(StandardCharsets.UTF_8), received);

        assertThat(values).containsExactly(
                new MetricsPayload.Timed(Instant.parse("2020-07-28T20:00:43.277Z").toEpochMilli(),
                        new MetricRepository.Value("b_total", Map.of("q", "0.5"), "counter", 2)),
                new MetricsPayload.Timed(received.toEpochMilli(), new MetricRepository.Value("c", Map.of(), "gauge",
                        3)));
    }
}
