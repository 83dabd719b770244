/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reported patches' journal on disk: what waits survives a restart, in order; a torn last line is dropped. */
class ReportedJournalTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("leaf/reported.journal");
    }

    @Test
    void whatWaitsIsReadBackInOrderAndWhatWasTakenIsNot() throws Exception {
        ReportedJournal j = ReportedJournal.open(file());
        j.append("{\"a\":1}");
        j.append("{\"b\":2}");
        j.append("{\"c\":3}");
        j.remove(1);

        ReportedJournal again = ReportedJournal.open(file());
        assertThat(again.waiting()).extracting(ReportedJournal.Entry::patch).containsExactly("{\"b\":2}",
                "{\"c\":3}");
        assertThat(again.append("{\"d\":4}").seq()).isEqualTo(4);
    }

    @Test
    void theFileIsEmptiedWhenNothingWaits() throws Exception {
        ReportedJournal j = ReportedJournal.open(file());
        j.append("{\"a\":1}");
        j.remove(1);
        assertThat(Files.readString(file())).isEmpty();
        assertThat(ReportedJournal.open(file()).size()).isZero();
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndTheNextAppendStartsOnItsOwnLine() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "P 1 {\"a\":1}\nP 2 {\"b\"", StandardCharsets.UTF_8);
        ReportedJournal j = ReportedJournal.open(file());
        assertThat(j.waiting()).extracting(ReportedJournal.Entry::patch).containsExactly("{\"a\":1}");
        j.append("{\"c\":3}");
        assertThat(ReportedJournal.open(file()).waiting()).extracting(ReportedJournal.Entry::patch).containsExactly(
                "{\"a\":1}", "{\"c\":3}");
    }

    @Test
    void aLongJournalIsRewrittenWithOnlyWhatWaits() throws Exception {
        ReportedJournal j = ReportedJournal.open(file());
        j.append("{\"keep\":true}");
        for (int i = 0; i < ReportedJournal.COMPACT_AFTER; i++) {
            j.remove(j.append("{\"n\":" + i + "}").seq());
        }
        assertThat(Files.readAllLines(file()).size()).isLessThan(ReportedJournal.COMPACT_AFTER);
        assertThat(ReportedJournal.open(file()).waiting()).extracting(ReportedJournal.Entry::patch).containsExactly(
                "{\"keep\":true}");
    }
}
