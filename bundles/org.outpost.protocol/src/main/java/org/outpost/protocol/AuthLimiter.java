/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing: a remote address with {@code maxFailures} failed authentications within
 * {@code window} is refused without a check until its oldest failure leaves the window. Used wherever the hub
 * checks a secret: device connections and the REST API's token.
 * <p>
 * Memory is bounded: an address is forgotten once its last failure has left the window, and at most
 * {@value #MAX_ADDRESSES} addresses are kept; past that, the address whose last failure is the oldest is forgotten
 * first (a flood from more addresses than that can only make the limiter forget, never grow).
 */
public final class AuthLimiter {

    /** Addresses remembered at most. */
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final int maxAddresses;
    /** Failures by address, the address that failed longest ago first (an address moves to the end as it fails). */
    private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>();

    public AuthLimiter(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, clock, MAX_ADDRESSES);
    }

    AuthLimiter(int maxFailures, Duration window, Clock clock, int maxAddresses) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.maxAddresses = maxAddresses;
    }

    /** @return how long the address must wait before it may try again, or zero if it may try now */
    public Duration blocked(String address) {
        synchronized (failures) {
            Instant now = clock.instant();
            forgetExpired(now);
            Deque<Instant> f = failures.get(address);
            if (f == null) {
                return Duration.ZERO;
            }
            dropExpired(f, now);
            if (f.isEmpty()) {
                failures.remove(address);
                return Duration.ZERO;
            }
            return f.size() >= maxFailures ? Duration.between(now, f.peekFirst().plus(window)) : Duration.ZERO;
        }
    }

    public void failed(String address) {
        synchronized (failures) {
            Instant now = clock.instant();
            Deque<Instant> f = failures.remove(address);
            if (f == null) {
                f = new ArrayDeque<>();
            }
            f.addLast(now);
            while (f.size() > maxFailures) {
                f.pollFirst();
            }
            failures.put(address, f);
            forgetExpired(now);
            for (Iterator<String> it = failures.keySet().iterator(); failures.size() > maxAddresses;) {
                it.next();
                it.remove();
            }
        }
    }

    /** @return how many addresses are remembered now */
    int size() {
        synchronized (failures) {
            return failures.size();
        }
    }

    /** Forgets the addresses whose last failure left the window: they are at the front. */
    private void forgetExpired(Instant now) {
        for (Iterator<Deque<Instant>> it = failures.values().iterator(); it.hasNext();) {
            if (it.next().peekLast().plus(window).isAfter(now)) {
                return;
            }
            it.remove();
        }
    }

    private void dropExpired(Deque<Instant> f, Instant now) {
        while (!f.isEmpty() && !f.peekFirst().plus(window).isAfter(now)) {
            f.pollFirst();
        }
    }
}
