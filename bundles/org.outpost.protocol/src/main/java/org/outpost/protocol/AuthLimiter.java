/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: a remote address with {@code maxFailures} failed authentications within
 * {@code window} is refused without a check until its oldest failure leaves the window. Used wherever the hub
 * checks a secret: device connections and the REST API's token.
 */
public final class AuthLimiter {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public AuthLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** @return how long the address must wait before it may try again, or zero if it may try now */
    public Duration blocked(String address) {
        Deque<Instant> f = failures.get(address);
        if (f == null) {
            return Duration.ZERO;
        }
        synchronized (f) {
            Instant now = clock.instant();
            while (!f.isEmpty() && !f.peekFirst().plus(window).isAfter(now)) {
                f.pollFirst();
            }
            if (f.isEmpty()) {
                failures.remove(address, f);
                return Duration.ZERO;
            }
            return f.size() >= maxFailures ? Duration.between(now, f.peekFirst().plus(window)) : Duration.ZERO;
        }
    }

    public void failed(String address) {
        Deque<Instant> f = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (f) {
            f.addLast(clock.instant());
            while (f.size() > maxFailures) {
                f.pollFirst();
            }
        }
    }
}
