/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.Checks;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class HealthReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Checks.Report report(String name, CheckResult result) {
        return new Checks.Report(name, List.of("t"), result, Duration.ofMillis(3));
    }

    @Test
    void theReportedHealthIsTheWorstLevelTheCountsAndTheFailingChecksWithWhatToDo() {
        ObjectNode h = HealthReport.toJson(List.of(report("clock", CheckResult.ok("fine")), report("cloud connection",
                CheckResult.warn("connecting to ssl://hub:8883", "check the url")), report("disk space", CheckResult
                        .critical("only 12 MB free", "free space"))), JSON);

        assertThat(h.toString()).isEqualTo("{\"status\":\"critical\",\"ok\":1,\"warn\":1,\"critical\":1,\"failing\":["
                + "{\"check\":\"cloud connection\",\"result\":\"warn\",\"detail\":\"connecting to ssl://hub:8883\","
                + "\"action\":\"check the url\"},{\"check\":\"disk space\",\"result\":\"critical\",\"detail\":"
                + "\"only 12 MB free\",\"action\":\"free space\"}]}");
        ObjectNode reported = JSON.createObjectNode();
        reported.set("health", h);
        assertThat(TwinDocument.patchSection(JSON.createObjectNode(), reported.toString(), "reported",
                TwinLimits.IOT_HUB).toString()).as("within IoT Hub's twin rules").isEqualTo(reported.toString());
    }

    @Test
    void theChecksRunOnTheirOwnThreadAndTheLastResultIsKeptUntilTheyAreGone() {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Checks checks = tags -> {
            ranOn.set(Thread.currentThread());
            return List.of(report("clock", CheckResult.ok("x".repeat(2000))));
        };
        try (HealthReport health = new HealthReport(JSON, 60)) {
            health.start();
            assertThat(health.current()).isEmpty();
            health.bind(checks);
            await().atMost(Duration.ofSeconds(5)).until(() -> health.current().isPresent());
            assertThat(ranOn.get().getName()).isEqualTo("outpost-cloud-health");
            assertThat(health.current().orElseThrow().path("status").asText()).isEqualTo("ok");
            health.unbind(checks);
            assertThat(health.current()).isEmpty();
        }
    }
}
