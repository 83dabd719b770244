/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeafReportTest {

    private final LeafBenchmark.Load load = new LeafBenchmark.Load(1000, 100, 256);

    @Test
    void eachFigureIsPrintedWithTheBaselinesAndTheirRatio() {
        LeafReport r = LeafBenchmark.report(load, new LeafBenchmark.Figures(400, 3000, 12.5, 30, 0),
                new LeafBenchmark.Figures(800, 6000, Double.NaN, 10, 0));

        String table = r.table();

        assertThat(table).startsWith("LeafBenchmark: 1000 leaves, 100 messages of 256 bytes each");
        assertThat(table).containsPattern("connects/s \\(TLS \\+ SAS CONNECT\\) \\(\\^\\)\\s+400\\.0\\s+800\\.0"
                + "\\s+0\\.50");
        assertThat(table).containsPattern("messages/s leaves -> cloud \\(\\^\\)\\s+3000\\.0\\s+6000\\.0\\s+0\\.50");
        assertThat(table).containsPattern("RSS per connected leaf, KB \\(v\\)\\s+30\\.0\\s+10\\.0\\s+3\\.00");
        assertThat(table).containsPattern("heap after GC per connected leaf, KB \\(v\\)\\s+12\\.5\\s+-\\s+-");
    }

    @Test
    void whatWasNotMeasuredIsADashInTheTableAndNullInJsonWithTheReasonBelow() {
        LeafReport r = LeafBenchmark.report(load, LeafBenchmark.Figures.NONE, new LeafBenchmark.Figures(800, 6000,
                Double.NaN, 10, 0)).note("Outpost not measured: the gateway accepted no leaf");

        assertThat(r.table()).containsPattern("connects/s \\(TLS \\+ SAS CONNECT\\) \\(\\^\\)\\s+-\\s+800\\.0\\s+-")
                .endsWith("Outpost not measured: the gateway accepted no leaf\n");
        assertThat(r.json()).contains("{\"what\": \"connects/s (TLS + SAS CONNECT)\", \"outpost\": null,"
                + " \"baseline\": 800.000, \"ratio\": null, \"higherIsBetter\": true}")
                .endsWith("\"notes\": [\"Outpost not measured: the gateway accepted no leaf\"]}");
    }
}
