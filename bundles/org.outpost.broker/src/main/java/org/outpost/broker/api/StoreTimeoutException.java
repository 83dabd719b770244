/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The broker did not confirm within {@link Broker#storeTimeout()} that it stored a message. The send failed; the
 * message may still be stored (a later confirmation is not waited for), so a retry may store it twice.
 */
public final class StoreTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what what was being stored, e.g. "the message for outpost.endpoint.upstream"
     * @param timeout how long it waited
     */
    public StoreTimeoutException(String what, Duration timeout) {
        super("the broker did not confirm within " + timeout.toSeconds() + " s that it stored " + what
                + "; the send failed (the message may still be stored); see the broker's log, or raise store.timeout.seconds in etc/org.outpost.broker.cfg");
    }
}
