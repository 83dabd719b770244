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

import org.outpost.hub.storage.HubDatabase;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodRelay;
import org.outpost.iothub.spi.MethodResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct methods across hub nodes: a call for a device that another node holds waits in {@code method_calls}; an
 * event tells the other nodes, the one holding the device calls it and writes the answer into the row, and an event
 * tells the caller, which takes the answer and deletes the row. A call nobody answers within its timeout gets 504, as
 * a silent device does; a device with no connection on any node gets 404 at once.
 */
final class RemoteMethods implements MethodRelay, AutoCloseable {

    /** Calls an identity connected to this node. */
    @FunctionalInterface
    interface LocalCalls {
        /** @return the call, or empty if the identity is not connected to this node */
        Optional<CompletionStage<MethodResult>> invoke(Identity identity, String method, String payload,
                Duration timeout);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RemoteMethods.class);
    /** Calls left behind by a node that stopped while waiting are deleted after this long. */
    private static final long ABANDONED_MS = TimeUnit.MINUTES.toMillis(10);

    private final HubDatabase db;
    private final LocalCalls local;
    private final Map<String, CompletableFuture<MethodResult>> waiting = new ConcurrentHashMap<>();
    private final Runnable stopCalls;
    private final Runnable stopAnswers;

    /** @param local calls the identities connected to this node */
    RemoteMethods(HubDatabase db, LocalCalls local) {
        this.db = db;
        this.local = local;
        this.stopCalls = db.subscribe("method", this::called);
        this.stopAnswers = db.subscribe("method-answered", this::answered);
    }

    @Override
    public void close() {
        stopCalls.run();
        stopAnswers.run();
        waiting.values().forEach(f -> f.complete(MethodResult.error(503, "the hub node is stopping")));
    }

    /** Calls a device (or module) that is not connected to this node. */
    @Override
    public CompletionStage<MethodResult> invoke(Identity called, String method, String payload, Duration timeout) {
        String identity = called.id();
        if (!connectedElsewhere(called.deviceId())) {
            return CompletableFuture.completedFuture(MethodResult.error(404, identity + " is not connected"));
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
        CompletableFuture<MethodResult> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        db.publish("method", id);
        return answer.completeOnTimeout(MethodResult.error(504, identity + " did not answer " + method + " within "
                + timeout.toSeconds() + " s"), timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
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
        Optional<CompletionStage<MethodResult>> here = Identity.claimedBy(call.get()[0]).flatMap(identity -> local
                .invoke(identity, call.get()[1], call.get()[2], Duration.ofMillis(Long.parseLong(call.get()[3]))));
        if (here.isEmpty()) {
            return;
        }
        LOG.debug("Calling {} on {} for another hub node", call.get()[1], call.get()[0]);
        here.get().whenComplete((result, failure) -> {
            MethodResult r = failure == null ? result : MethodResult.error(500, failure.toString());
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
        CompletableFuture<MethodResult> f = waiting.get(id);
        if (f == null) {
            return;
        }
        Optional<MethodResult> r = db.transaction("reading the answer of method call " + id, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status, response FROM method_calls WHERE id = ?"
                    + " AND status IS NOT NULL")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new MethodResult(rs.getInt(1), rs.getString(2)))
                            : Optional.<MethodResult>empty();
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
