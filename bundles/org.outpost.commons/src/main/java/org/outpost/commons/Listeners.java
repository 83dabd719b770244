/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A list of listeners, told in the order they subscribed. Subscribing returns the subscription, and closing it is the
 * one way to unsubscribe. A listener that throws is logged and does not keep the others from being told.
 *
 * @param <L> the listener type
 */
public final class Listeners<L> {

    /** A subscription: close it to stop being told. Closing it again does nothing. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private static final System.Logger LOG = System.getLogger(Listeners.class.getName());

    private final String what;
    /** One entry per subscription (not per listener), so that closing one of two equal subscriptions leaves the other. */
    private final List<Entry<L>> entries = new CopyOnWriteArrayList<>();

    /** @param what what the listeners hear of, for the log when one throws (for example "device deletions") */
    public Listeners(String what) {
        this.what = what;
    }

    public Subscription subscribe(L listener) {
        Entry<L> entry = new Entry<>(listener);
        entries.add(entry);
        return () -> entries.remove(entry);
    }

    /** Tells every listener, in the order they subscribed; one that throws is logged and the rest are still told. */
    public void fire(Consumer<? super L> event) {
        for (Entry<L> e : entries) {
            try {
                event.accept(e.listener());
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "A listener to " + what + " failed: " + ex, ex);
            }
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Identity, not value, equality: each subscription is its own entry. */
    private static final class Entry<L> {
        private final L listener;

        Entry(L listener) {
            this.listener = listener;
        }

        L listener() {
            return listener;
        }
    }
}
