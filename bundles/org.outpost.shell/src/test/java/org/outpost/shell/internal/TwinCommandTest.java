/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TwinCommandTest {

    private static String print(List<TwinCommand.Row> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TwinCommand.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theReportedVersionIsShownAsTheGatewaysWithWhyTheHubsDiffers() {
        String out = print(List.of(new TwinCommand.Row("filter", 3, 3L, 200, "", 6)));

        assertThat(out).contains("Reported (gateway)").contains("200 applied");
        assertThat(out.lines().filter(l -> l.contains("filter")).findFirst()).hasValueSatisfying(l -> assertThat(l)
                .endsWith("6"));
        assertThat(out).contains("counts the patches it received").contains("as one merged patch")
                .contains("Compare the properties, not the versions");
    }

    @Test
    void withNoTwinsThereIsNothingToExplain() {
        String out = print(List.of());

        assertThat(out).contains("No module twins").doesNotContain("merged patch");
    }
}
