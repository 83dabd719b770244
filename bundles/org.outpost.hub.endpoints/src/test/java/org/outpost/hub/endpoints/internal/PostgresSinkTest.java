/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.hub.endpoints.internal.TestMessages.bytes;
import static org.outpost.hub.endpoints.internal.TestMessages.json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.outpost.testing.postgres.PostgresServer;

/** The postgres endpoint against a real PostgreSQL server. */
class PostgresSinkTest {

    private static PostgresServer pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    private EndpointSink open(String table) {
        return new PostgresEndpointType().open("pg", Map.of("url", pg.url(), "user", PostgresServer.USER, "password",
                PostgresServer.PASSWORD, "table", table, "connectTimeoutSeconds", 2, "statementTimeoutSeconds", 5));
    }

    private static List<RoutedMessage> batch(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> json(i, "d" + (i % 2), "{\"n\":" + i + "}")).toList();
    }

    @Test
    void createsTheTableAndWritesRowsWithJsonAndBinaryBodies() throws Exception {
        try (EndpointSink sink = open("telemetry_rows")) {
            sink.deliver(List.of(json(1, "d1", "{\"temperature\":21.5}"), bytes(2, "d2", new byte[] {0, 1, -1})));
        }
        assertThat(pg.sql("SELECT sequence, route, device_id, module_id, body->>'temperature', properties->>'alert', "
                + "system_properties->>'messageId', enqueued_time AT TIME ZONE 'UTC' FROM telemetry_rows WHERE "
                + "sequence = 1")).isEqualTo("1|telemetry|d1|sensor|21.5|no|m1|2026-12-05 12:00:00.001");
        assertThat(pg.sql("SELECT body IS NULL, encode(body_bytes, 'hex'), system_properties->>'contentType' FROM "
                + "telemetry_rows WHERE sequence = 2")).isEqualTo("t|0001ff|application/octet-stream");
    }

    @Test
    void aRedeliveredBatchLeavesNoDuplicates() throws Exception {
        try (EndpointSink sink = open("redelivered")) {
            sink.deliver(batch(1, 50));
            sink.deliver(batch(40, 60));
        }
        assertThat(pg.sql("SELECT count(*), count(DISTINCT sequence), min(sequence), max(sequence) FROM redelivered"))
                .isEqualTo("60|60|1|60");
    }

    @Test
    void theDatabaseDownFailsTheDeliveryAndAfterItIsBackTheSameBatchIsWritten() throws Exception {
        try (EndpointSink sink = open("outage")) {
            sink.deliver(batch(1, 5));
            pg.stop();
            try {
                assertThatThrownBy(() -> sink.deliver(batch(6, 10)))
                        .hasMessageStartingWith("routing endpoint pg (postgres): cannot write 5 message(s) to table "
                                + "outage of " + pg.url());
            } finally {
                pg.restart();
            }
            sink.deliver(batch(6, 10));
        }
        assertThat(pg.sql("SELECT string_agg(sequence::text, ',' ORDER BY sequence) FROM outage"))
                .isEqualTo("1,2,3,4,5,6,7,8,9,10");
    }

    @Test
    void aWrongPasswordFailsTheDeliveryWithoutShowingIt() {
        EndpointSink sink = new PostgresEndpointType().open("pg", Map.of("url", pg.url(), "user", PostgresServer.USER,
                "password", "not-the-password", "connectTimeoutSeconds", 2));
        assertThatThrownBy(() -> sink.deliver(batch(1, 1))).hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void thePasswordCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pg.password"), PostgresServer.PASSWORD + "\n");
        try (EndpointSink sink = new PostgresEndpointType().open("pg", Map.of("url", pg.url(), "user",
                PostgresServer.USER, "passwordFile", file.toString(), "table", "from_file"))) {
            sink.deliver(batch(1, 2));
        }
        assertThat(pg.sql("SELECT count(*) FROM from_file")).isEqualTo("2");
    }

    @Test
    void settingsAreCheckedNamingTheSetting() {
        PostgresEndpointType type = new PostgresEndpointType();
        assertThatThrownBy(() -> type.open("pg", Map.of("user", "u"))).hasMessage("settings.url: required");
        assertThatThrownBy(() -> type.open("pg", Map.of("url", "jdbc:mysql://h/db", "user", "u")))
                .hasMessageStartingWith("settings.url: expected jdbc:postgresql://");
        assertThatThrownBy(() -> type.open("pg", Map.of("url", pg.url(), "user", "u", "table", "x; DROP TABLE y")))
                .hasMessageStartingWith("settings.table: 'x; DROP TABLE y' is not a table name");
        assertThatThrownBy(() -> type.open("pg", Map.of("url", pg.url(), "user", "u", "passwordFile", "/nonexistent")))
                .hasMessageStartingWith("settings.passwordFile: cannot read /nonexistent");
        assertThat(PostgresEndpointType.redacted("jdbc:postgresql://h/db?user=a&password=s3cret"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***");
    }
}
