/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.outpost.hub.storage.HubDatabase;

/**
 * A hub database for the events only, as the other nodes see them: what this node publishes is recorded (never told
 * back to it), and a test delivers another node's events and resyncs by hand. Transactions are not supported; wrap a
 * real database for those.
 */
class EventBus implements HubDatabase {

    /** What this node published, as "topic data". */
    final List<String> published = new CopyOnWriteArrayList<>();
    /** Whether publishing fails (as when the database cannot be reached). */
    volatile boolean publishFails;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> resyncs = new CopyOnWriteArrayList<>();

    /** Delivers an event as from another node. */
    void fromAnotherNode(String topic, String data) {
        new ArrayList<>(subscribers.getOrDefault(topic, List.of())).forEach(l -> l.accept(data));
    }

    /** Tells the subscribers that events may have been missed. */
    void resync() {
        resyncs.forEach(Runnable::run);
    }

    /** @return how many listen to a topic, or to resyncs if topic is null */
    int listening(String topic) {
        return topic == null ? resyncs.size() : subscribers.getOrDefault(topic, List.of()).size();
    }

    @Override
    public <T> T transaction(String what, Work<T> work) {
        throw new UnsupportedOperationException(what);
    }

    @Override
    public String nodeId() {
        return "this-node";
    }

    @Override
    public String product() {
        return "events only";
    }

    @Override
    public void publish(String topic, String data) {
        if (publishFails) {
            throw new IllegalStateException("the database cannot be reached (test)");
        }
        published.add(topic + " " + data);
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        List<Consumer<String>> list = subscribers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
        list.add(listener);
        return () -> list.remove(listener);
    }

    @Override
    public Runnable onResync(Runnable listener) {
        resyncs.add(listener);
        return () -> resyncs.remove(listener);
    }
}
