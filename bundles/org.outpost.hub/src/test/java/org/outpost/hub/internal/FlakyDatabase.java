/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.function.Consumer;

import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;

/** A real hub database that a test can take down: while it is down, every transaction fails as a lost one would. */
class FlakyDatabase implements HubDatabase {

    private final HubDatabase db;
    volatile boolean down;

    FlakyDatabase(HubDatabase db) {
        this.db = db;
    }

    @Override
    public <T> T transaction(String what, Work<T> work) {
        if (down) {
            throw new StorageException(what, new java.sql.SQLException("the database is down (test)"));
        }
        return db.transaction(what, work);
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
