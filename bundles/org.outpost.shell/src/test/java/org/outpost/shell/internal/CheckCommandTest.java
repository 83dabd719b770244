/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.Checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CheckCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;
    private final List<Set<String>> asked = new ArrayList<>();
    private final CheckCommand command = new CheckCommand();

    @BeforeEach
    void setUp() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        command.checks = tags -> {
            asked.add(tags);
            return List.of(new Checks.Report("clock", List.of("time"), CheckResult.warn("the clock is 12.000 s"
                    + " behind pool.ntp.org", "install and enable an NTP client"), Duration.ofMillis(40)),
                    new Checks.Report("disk space", List.of("storage"), CheckResult.critical("only 80 MB free",
                            "free disk space"), Duration.ofMillis(2)));
        };
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTableHasEachCheckWithWhatToDoAndACountLine() throws Exception {
        command.tags = "storage, time";

        command.execute();

        assertThat(asked).containsExactly(Set.of("storage", "time"));
        assertThat(printed()).containsPattern("clock\\s*\\|\\s*warn\\s*\\|\\s*the clock is 12.000 s behind"
                + " pool.ntp.org\\s*\\|\\s*install and enable an NTP client")
                .containsPattern("disk space\\s*\\|\\s*critical\\s*\\|\\s*only 80 MB free\\s*\\|\\s*free disk space")
                .contains("2 checks: 0 ok, 1 warn, 1 critical (tags ");
    }

    @Test
    void jsonHasTheWorstLevelAndEachCheck() throws Exception {
        command.json = true;

        command.execute();

        JsonNode json = new ObjectMapper().readTree(printed());
        assertThat(json.path("status").asText()).isEqualTo("critical");
        assertThat(json.path("checks").get(0).path("check").asText()).isEqualTo("clock");
        assertThat(json.path("checks").get(0).path("result").asText()).isEqualTo("warn");
        assertThat(json.path("checks").get(0).path("action").asText()).isEqualTo("install and enable an NTP client");
        assertThat(json.path("checks").get(0).path("tags").toString()).isEqualTo("[\"time\"]");
        assertThat(json.path("checks").get(0).path("millis").asLong()).isEqualTo(40);
        assertThat(asked).containsExactly(Set.of());
    }

    @Test
    void strictFailsAfterPrintingWhenACheckIsCritical() {
        command.strict = true;

        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class).hasMessage("critical: disk space");
        assertThat(printed()).contains("disk space");
    }
}
