/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal.burner;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

/** Burns CPU on the calling thread: stands in for a module's code, in a package of its own. */
public final class Burner implements Runnable {

    private final long cpuNanos;
    private final CountDownLatch burnt = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** @param cpuNanos the CPU time to burn before waiting to be released */
    public Burner(long cpuNanos) {
        this.cpuNanos = cpuNanos;
    }

    /** Burns {@code cpuNanos} of the current thread's CPU time; allocates a little on the way. */
    public static long burn(long cpuNanos) {
        var mx = ManagementFactory.getThreadMXBean();
        long end = mx.getCurrentThreadCpuTime() + cpuNanos;
        long x = 0;
        while (mx.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x += Long.toString(i).length();
            }
        }
        return x;
    }

    @Override
    public void run() {
        burn(cpuNanos);
        burnt.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitBurnt() throws InterruptedException {
        burnt.await();
    }

    public void release() {
        release.countDown();
    }
}
