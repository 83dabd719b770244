/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.outpost.deployment.spi.Undo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The undo log of one deployment: actions pushed as changes are made, run newest first on rollback. */
final class UndoLog implements Undo {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    /** One undo step: what it does, for the log, and the action. */
    private record Step(String what, Action action) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    @Override
    public void push(String what, Action action) {
        steps.push(new Step(what, action));
    }

    /** Runs every action, newest first, each once; a failing one is logged and the others still run. */
    void rollBack() {
        while (!steps.isEmpty()) {
            Step u = steps.pop();
            try {
                u.action().run();
            } catch (Exception e) {
                LOG.error("Rollback step '{}' failed: {}", u.what(), e.toString());
            }
        }
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }
}
