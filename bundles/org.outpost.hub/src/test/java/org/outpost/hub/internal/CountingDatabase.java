/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.outpost.hub.storage.HubDatabase;

/**
 * A real hub database that counts the SQL statements its users prepare: all of them, or only those of one thread (so
 * that background work does not count).
 */
final class CountingDatabase implements HubDatabase {

    private final HubDatabase db;
    final AtomicInteger statements = new AtomicInteger();
    /** The thread whose statements count, or null for all. */
    volatile Thread only;

    CountingDatabase(HubDatabase db) {
        this.db = db;
    }

    @Override
    public <T> T transaction(String what, Work<T> work) {
        return db.transaction(what, c -> work.run(counting(c)));
    }

    private Connection counting(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {
            Connection.class}, (proxy, m, args) -> {
                boolean statement = m.getName().equals("prepareStatement") || m.getName().equals("createStatement")
                        || m.getName().equals("prepareCall");
                if (statement && (only == null || only == Thread.currentThread())) {
                    statements.incrementAndGet();
                }
                try {
                    return m.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    @Override
    public String nodeId() {
        return db.nodeId();
    }

    @Override
    public String product() {
        return db.product();
    }

    @Override
    public void publish(String topic, String data) {
        db.publish(topic, data);
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        return db.subscribe(topic, listener);
    }

    @Override
    public Runnable onResync(Runnable listener) {
        return db.onResync(listener);
    }
}
