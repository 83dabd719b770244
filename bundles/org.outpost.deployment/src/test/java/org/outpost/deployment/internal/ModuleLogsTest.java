/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.deployment.api.LogQuery;

class ModuleLogsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void containerOutputIsTimestampedRotatedAndFiltered() throws Exception {
        Path log = dir.resolve("output.log");
        try (ModuleLogs.Writer w = new ModuleLogs.Writer(log, 100)) {
            w.line(T0, "starting");
            w.line(T0.plusSeconds(10), "<4>low pressure");
            w.line(T0.plusSeconds(20), "2026-11-26 ERROR pump stalled");
            w.line(T0.plusSeconds(30), "pumping");
            w.line(T0.plusSeconds(40), "WARN: valve slow");
        }
        // 100 bytes hold about three lines: the first three moved to output.log.1, and nothing is lost.
        assertThat(ModuleLogs.rotated(log)).exists();
        assertThat(ModuleLogs.container(log, LogQuery.tail(100))).hasSize(5).first().asString()
                .isEqualTo("2026-11-26T10:00:00Z starting");

        assertThat(ModuleLogs.container(log, LogQuery.tail(2))).extracting(l -> l.substring(21))
                .containsExactly("pumping", "WARN: valve slow");
        assertThat(ModuleLogs.container(log, new LogQuery(100, null, null, "warn", null)))
                .extracting(l -> l.substring(21))
                .containsExactly("<4>low pressure", "2026-11-26 ERROR pump stalled", "WARN: valve slow");
        assertThat(ModuleLogs.container(log, new LogQuery(100, T0.plusSeconds(10), T0.plusSeconds(30), null, null)))
                .hasSize(2);
        assertThat(ModuleLogs.container(log, new LogQuery(100, null, null, null, Pattern.compile("pump(ing)?\\b"))))
                .hasSize(2);
    }

    @Test
    void gatewayLogRecordsKeepTheirStackTracesAndAreFilteredByBundle() throws Exception {
        Path log = dir.resolve("karaf.log");
        Files.write(log, List.of(
                "2026-11-26T10:00:00,000 | INFO  | main | Pump | 42 - org.acme.pump - 1.0.0 | started",
                "2026-11-26T10:00:01,000 | INFO  | main | Other | 7 - org.other - 1.0.0 | hello",
                "2026-11-26T10:00:02,500 | ERROR | main | Pump | 42 - org.acme.pump - 1.0.0 | failed",
                "java.lang.IllegalStateException: stalled",
                "\tat org.acme.pump.Pump.run(Pump.java:12)",
                "2026-11-26T10:00:03,000 | WARN  | main | Other | 7 - org.other - 1.0.0 | late"));
        String marker = "| 42 - org.acme.pump - ";
        List<String> all = ModuleLogs.gateway(log, l -> l.contains(marker), LogQuery.tail(10), ZoneOffset.UTC);
        assertThat(all).hasSize(2);
        assertThat(all.get(1)).contains("failed", "IllegalStateException: stalled", "Pump.java:12");
        assertThat(ModuleLogs.gateway(log, l -> l.contains(marker), new LogQuery(10, null, null, "error", null),
                ZoneOffset.UTC)).hasSize(1);
        assertThat(ModuleLogs.gateway(log, l -> l.contains(marker), new LogQuery(10, T0.plusSeconds(1), null, null,
                null), ZoneOffset.UTC)).hasSize(1).first().asString().contains("failed");
    }

    @Test
    void timesAreDurationsRfc3339OrUnixSeconds() {
        assertThat(LogQuery.time("90s", T0)).isEqualTo(T0.minusSeconds(90));
        assertThat(LogQuery.time("10m", T0)).isEqualTo(T0.minusSeconds(600));
        assertThat(LogQuery.time("2 days 3 hours", T0)).isEqualTo(T0.minusSeconds(2 * 86_400 + 3 * 3600));
        assertThat(LogQuery.time("2026-11-26T09:00:00+01:00", T0)).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(LogQuery.time("1900000000", T0)).isEqualTo(Instant.ofEpochSecond(1_900_000_000L));
        assertThatThrownBy(() -> LogQuery.time("yesterday", T0)).hasMessageContaining("is not a time: use a duration");
        assertThatThrownBy(() -> LogQuery.time("10m later", T0)).hasMessageContaining("is not a time");
        assertThatThrownBy(() -> new LogQuery(10, null, null, "loud", null)).hasMessageContaining(
                "level 'loud' is not one of trace, debug, info, warn, error");
        assertThatThrownBy(() -> new LogQuery(0, null, null, null, null)).hasMessageContaining("tail must be 1");
    }

    @Test
    void aCatastrophicRegexOnALongLineIsRefusedQuicklyInsteadOfHangingTheQuery() throws Exception {
        Path log = dir.resolve("output.log");
        Files.writeString(log, Instant.parse("2026-11-26T10:00:00Z") + " " + "a".repeat(5000) + "!\n");

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ModuleLogs.container(log, new LogQuery(10, null, null, null,
                LogQuery.regex("(a+)+$")))).isInstanceOf(IllegalArgumentException.class).hasMessage("the regex"
                        + " '(a+)+$' takes too long on a log entry of 5001 characters (more than 10000000 steps): it"
                        + " backtracks catastrophically; use one without nested repetition such as (a+)+ or (a|a)*");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(5));

        // An ordinary regex on the same line is answered.
        assertThat(ModuleLogs.container(log, new LogQuery(10, null, null, null, LogQuery.regex("a{3}!$"))))
                .hasSize(1);
    }

    @Test
    void aRegexLongerThanTheCapIsRefusedSayingSo() {
        assertThatThrownBy(() -> LogQuery.regex("a".repeat(257))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the regex is 257 characters long; at most 256 are taken: use a shorter one");
        assertThatThrownBy(() -> new LogQuery(1, null, null, null, Pattern.compile("b".repeat(300))))
                .hasMessageContaining("at most 256");
    }
}
