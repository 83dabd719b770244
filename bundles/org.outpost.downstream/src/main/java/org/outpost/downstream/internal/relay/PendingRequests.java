/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A relay connection's requests whose callers wait for the answer (twin reads, identity registry requests), by request
 * id. Callers wait on their own thread with nothing locked; a lost connection ends every wait at once.
 */
final class PendingRequests {

    /** An answer to a request: status and body. */
    record Answer(int status, String body) {
    }

    private final AtomicLong rids = new AtomicLong();
    private final Map<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();

    /** @return the next request id of the connection */
    String rid() {
        return Long.toString(rids.incrementAndGet());
    }

    /**
     * @param send sends the request (false if it could not)
     * @return the answer, or empty if it was not sent, the connection was lost or there is none within {@code wait}
     */
    Optional<Answer> await(String rid, BooleanSupplier send, Duration wait) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(rid, answer);
        try {
            if (!send.getAsBoolean()) {
                return Optional.empty();
            }
            return Optional.of(answer.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } finally {
            waiting.remove(rid);
        }
    }

    /** @return whether a caller waited for this answer (it has it now) */
    boolean answered(String rid, int status, String body) {
        CompletableFuture<Answer> f = rid == null ? null : waiting.remove(rid);
        if (f == null) {
            return false;
        }
        f.complete(new Answer(status, body));
        return true;
    }

    /** The connection is gone: every wait ends without an answer. */
    void failAll() {
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection lost")));
        waiting.clear();
    }
}
