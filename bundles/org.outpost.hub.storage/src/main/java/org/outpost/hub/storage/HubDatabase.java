/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The database the hub keeps its registry, twins and deployments in: embedded H2 for one machine (the default) or
 * PostgreSQL, which several hub nodes share. Its schema is migrated when the service starts; the hub's code uses the
 * same portable SQL on both.
 *
 * <p>
 * Hub nodes keep no state of their own that another node could contradict: what one node changes, the others read
 * from the database. What they must hear at once (a desired property for a device connected to another node, a
 * disabled device's connections) travels as {@linkplain #publish events}.
 */
@ProviderType
public interface HubDatabase {

    /** Work done with a connection; its SQL errors end the transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs work in one transaction, committed when it returns and rolled back when it throws.
     *
     * @throws StorageException wrapping an {@link SQLException}, with what was being done
     */
    <T> T transaction(String what, Work<T> work);

    /** @return this node's id, unique among the nodes sharing the database (a new one each time the hub starts) */
    String nodeId();

    /** @return the product under the hub: "H2" or "PostgreSQL" */
    String product();

    /**
     * Tells the other hub nodes sharing the database of something (never this node: it acts on its own changes at
     * once). Events travel after the commit of what they announce; with the embedded database there is no other node.
     *
     * @param topic what happened, e.g. "desired"
     * @param data the details, at most {@value #MAX_EVENT_BYTES} bytes in UTF-8
     * @throws IllegalArgumentException if the data is longer
     */
    void publish(String topic, String data);

    /** Most data an event carries (PostgreSQL's NOTIFY takes less than 8000 bytes, with the topic and node). */
    int MAX_EVENT_BYTES = 7000;

    /**
     * Hears of other nodes' events on a topic, one at a time in the order they were committed, on the database's own
     * thread (hand long work to another).
     *
     * @return stops listening
     */
    Runnable subscribe(String topic, Consumer<String> listener);

    /**
     * Hears that events may have been missed (the connection that receives them was lost, and is back): what is kept
     * from earlier events should be read again.
     *
     * @return stops listening
     */
    Runnable onResync(Runnable listener);
}
