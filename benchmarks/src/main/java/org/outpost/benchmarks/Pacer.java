/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/** Sends at a fixed rate, or as fast as in-flight permits come back; bodies as the gateway's load generator makes. */
final class Pacer {

    interface Send {
        void send(long seq) throws Exception;
    }

    private Pacer() {
    }

    static void run(int rate, Semaphore inflight, Send send) {
        long interval = rate <= 0 ? 0 : 1_000_000_000L / rate;
        long next = System.nanoTime();
        long seq = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (interval > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next += interval;
                }
                inflight.acquire();
                send.send(seq++);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("sender: " + e);
        }
    }

    /** @return {@code {"seq":n,"sentAt":<epoch µs>,"pad":"xxx"}} of {@code size} bytes */
    static byte[] body(long seq, int size) {
        StringBuilder b = new StringBuilder(size).append("{\"seq\":").append(seq).append(",\"sentAt\":")
                .append(Arrivals.nowMicros()).append(",\"pad\":\"");
        while (b.length() < size - 2) {
            b.append('x');
        }
        return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
