/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class UndoLogTest {

    @Test
    void stepsAreUndoneNewestFirstAndEachOnlyOnce() {
        List<String> done = new ArrayList<>();
        UndoLog undo = new UndoLog();
        undo.push("first", () -> done.add("first"));
        undo.push("second", () -> done.add("second"));
        undo.push("third", () -> done.add("third"));

        undo.rollBack();
        undo.rollBack();

        assertThat(done).containsExactly("third", "second", "first");
        assertThat(undo.isEmpty()).isTrue();
    }

    @Test
    void aFailingStepDoesNotKeepTheOlderOnesFromRunning() {
        List<String> done = new ArrayList<>();
        UndoLog undo = new UndoLog();
        undo.push("older", () -> done.add("older"));
        undo.push("broken", () -> {
            throw new IllegalStateException("gone");
        });

        undo.rollBack();

        assertThat(done).containsExactly("older");
    }
}
