/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.io.IOException;

/** A message was refused, not stored, because the broker's disk is over its limit ({@link StorageState#full()}). */
public final class StorageFullException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The state that refused it. */
    private final transient StorageState state;

    /** @param state the broker's storage, full */
    public StorageFullException(StorageState state) {
        super(state.message());
        this.state = state;
    }

    /** @return the broker's storage when the message was refused */
    public StorageState state() {
        return state;
    }
}
