/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time set by a test: a monotonic {@link Ticker} and a wall {@link Clock} that move together ({@link #set}), or the
 * wall clock alone, as an NTP step or an operator moves it ({@link #jumpWall}).
 */
final class FakeTime implements Ticker {

    private final Instant origin;
    private volatile long nanos = 1_000_000_000L;
    private volatile Instant wall;

    FakeTime(Instant origin) {
        this.origin = origin;
        this.wall = origin;
    }

    @Override
    public long nanos() {
        return nanos;
    }

    /** Both clocks are {@code seconds} after the origin (plus what the wall clock jumped). */
    void set(long seconds) {
        long before = nanos;
        nanos = 1_000_000_000L + Duration.ofSeconds(seconds).toNanos();
        wall = wall.plusNanos(nanos - before);
    }

    void advance(Duration d) {
        nanos += d.toNanos();
        wall = wall.plus(d);
    }

    /** The wall clock alone is stepped (forward or back); the monotonic clock does not move. */
    void jumpWall(Duration d) {
        wall = wall.plus(d);
    }

    Instant origin() {
        return origin;
    }

    Clock wall() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return wall;
            }
        };
    }
}
