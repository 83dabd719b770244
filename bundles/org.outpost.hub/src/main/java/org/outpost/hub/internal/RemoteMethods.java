/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.outpost.hub.api.Methods.Result;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct methods across hub nodes: a call for a device that another node holds waits in {@code method_calls}; an
 * event tells the other nodes, the one holding the device calls it and writes the answer into the row, and an event
 * tells the caller, which takes the answer and deletes the row. A call nobody answers within its timeout gets 504, as
 * a silent device does; a device with no connection on any node gets 404 at once.
 */
final class RemoteMethods implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMethods.class);
    /** Calls left behind by a node that stopped while waiting are deleted after this long. */
    private static final long ABANDONED_MS = TimeUnit.MINUTES.toMillis(10);

    private final HubDatabase db;
    private final Function<String, DeviceSession> sessions;
    private final Map<String, CompletableFuture<Result>> waiting = new ConcurrentHashMap<>();
    private final Runnable stopCalls;
    private final Runnable stopAnswers;

    /** @param sessions this node's connected session of an identity, or null */
    RemoteMethods(HubDatabase db, Function<String, DeviceSession> sessions) {
        this.db = db;
        this.sessions = sessions;
        this.stopCalls = db.subscribe("method", this::called);
        this.stopAnswers = db.subscribe("method-answered", this::answered);
    }

    @Override
    public void close() {
        stopCalls.run();
        stopAnswers.run();
        waiting.values().forEach(f -> f.complete(new Result(503, IotHubServer.message("the hub node is stopping"))));
    }

    /** Calls a device (or module) that is not connected to this node. */
    CompletionStage<Result> invoke(String deviceId, String identity, String method, String payload,
            Duration timeout) {
        if (!connectedElsewhere(deviceId)) {
            return CompletableFuture.completedFuture(new Result(404, IotHubServer.message(identity
                    + " is not connected")));
        }
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        db.transaction("calling " + method + " on " + identity + " through another hub node", c -> {
            try (PreparedStatement gone = c.prepareStatement("DELETE FROM method_calls WHERE created_ms < ?");
                    PreparedStatement s = c.prepareStatement("INSERT INTO method_calls (id, identity, method,"
                            + " payload, timeout_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
                gone.setLong(1, now - ABANDONED_MS);
                gone.executeUpdate();
                s.setString(1, id);
                s.setString(2, identity);
                s.setString(3, method);
                s.setString(4, payload);
                s.setLong(5, timeout.toMillis());
                s.setLong(6, now);
                return s.executeUpdate();
            }
        });
        CompletableFuture<Result> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        db.publish("method", id);
        return answer.completeOnTimeout(new Result(504, IotHubServer.message(identity + " did not answer " + method
                + " within " + timeout.toSeconds() + " s")), timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    waiting.remove(id);
                    delete(id);
                });
    }

    private boolean connectedElsewhere(String deviceId) {
        return db.transaction("finding the hub node of " + deviceId, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM connections WHERE device_id = ? AND"
                    + " node_id <> ?")) {
                s.setString(1, deviceId);
                s.setString(2, db.nodeId());
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    /** Another node waits for a call: this node makes it if it holds the identity. */
    private void called(String id) {
        Optional<String[]> call = db.transaction("reading method call " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT identity, method, payload, timeout_ms FROM"
                    + " method_calls WHERE id = ? AND status IS NULL")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new String[] {r.getString(1), r.getString(2), r.getString(3),
                            Long.toString(r.getLong(4))}) : Optional.<String[]>empty();
                }
            }
        });
        if (call.isEmpty()) {
            return;
        }
        DeviceSession session = sessions.apply(call.get()[0]);
        if (session == null) {
            return;
        }
        LOG.debug("Calling {} on {} for another hub node", call.get()[1], call.get()[0]);
        session.invoke(call.get()[1], call.get()[2], Duration.ofMillis(Long.parseLong(call.get()[3])))
                .whenComplete((result, failure) -> {
                    Result r = failure == null ? result : new Result(500, IotHubServer.message(failure.toString()));
                    try {
                        db.transaction("answering method call " + id, c -> {
                            try (PreparedStatement s = c.prepareStatement("UPDATE method_calls SET status = ?,"
                                    + " response = ? WHERE id = ?")) {
                                s.setInt(1, r.status());
                                s.setString(2, r.payload());
                                s.setString(3, id);
                                return s.executeUpdate();
                            }
                        });
                        db.publish("method-answered", id);
                    } catch (RuntimeException e) {
                        LOG.warn("Could not pass the answer of {} to the calling hub node: {}", call.get()[0],
                                e.getMessage());
                    }
                });
    }

    /** The node holding the device answered one of this node's calls. */
    private void answered(String id) {
        CompletableFuture<Result> f = waiting.get(id);
        if (f == null) {
            return;
        }
        Optional<Result> r = db.transaction("reading the answer of method call " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status, response FROM method_calls WHERE id = ?"
                    + " AND status IS NOT NULL")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Result(rs.getInt(1), rs.getString(2)))
                            : Optional.<Result>empty();
                }
            }
        });
        r.ifPresent(f::complete);
    }

    private void delete(String id) {
        try {
            db.transaction("deleting method call " + id, c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM method_calls WHERE id = ?")) {
                    s.setString(1, id);
                    return s.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("Method call {} is deleted later: {}", id, e.getMessage());
        }
    }
}
