/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The undo log of the deployment being applied: what was changed, each with what reverses it. If the deployment fails
 * (a step throws, a changed module does not reach its desired status within the probation window) or is a dry run, the
 * actions run newest first, so the gateway is back where it was.
 */
@ProviderType
public interface Undo {

    /**
     * Records a change made (or about to be made: a half-done change is undone too).
     *
     * @param what what the action does, for the log ({@code remove feature repository mvn:...})
     * @param action what reverses the change
     */
    void push(String what, Action action);

    /** One undo action. A failing action is logged and the others still run. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }
}
