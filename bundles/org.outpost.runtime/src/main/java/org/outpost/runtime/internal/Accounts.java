/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.outpost.api.runtime.ModuleResources.Measurement;

/**
 * Each bundle module's account of CPU time and allocated bytes, and the measurement of calls: the runtime's threads
 * while they work for a module (an input handler, a send's completion, a twin or method callback) read the thread's CPU
 * clock and allocation counter before and after the call. A call inside a measured call, or on a thread a module owns
 * (whose whole time is the module's, see {@link ThreadAccounting}), counts nothing more. Off, a measurement is one
 * volatile read.
 */
final class Accounts {

    /** One module's account. The measured part is added by any thread; the owned part by the sampler alone. */
    static final class Account {
        final String module;
        final LongAdder measuredCpuNanos = new LongAdder();
        final LongAdder measuredBytes = new LongAdder();
        /** CPU and allocations of the threads it owns (live ones as last sampled, plus those that ended). */
        volatile long ownedCpuNanos;
        volatile long ownedBytes;
        volatile int threads;

        Account(String module) {
            this.module = module;
        }

        long cpuNanos() {
            return measuredCpuNanos.sum() + ownedCpuNanos;
        }

        long allocatedBytes() {
            return measuredBytes.sum() + ownedBytes;
        }
    }

    static final Measurement NOTHING = () -> {
    };

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final ThreadClock clock;
    private final ThreadLocal<Frame> frames = ThreadLocal.withInitial(Frame::new);
    private volatile boolean enabled = true;

    Accounts(ThreadClock clock) {
        this.clock = clock;
    }

    /** The current thread's CPU time and allocated bytes ({@code ThreadMXBean}). */
    interface ThreadClock {
        long cpuNanos();

        long allocatedBytes();

        /** @return the JVM's clock, or one that reads 0 where the JVM cannot measure threads */
        static ThreadClock jvm() {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            boolean cpu = mx.isCurrentThreadCpuTimeSupported();
            if (cpu && !mx.isThreadCpuTimeEnabled()) {
                mx.setThreadCpuTimeEnabled(true);
            }
            com.sun.management.ThreadMXBean sun = mx instanceof com.sun.management.ThreadMXBean s
                    && s.isThreadAllocatedMemorySupported() ? s : null;
            if (sun != null && !sun.isThreadAllocatedMemoryEnabled()) {
                sun.setThreadAllocatedMemoryEnabled(true);
            }
            return new ThreadClock() {
                @Override
                public long cpuNanos() {
                    return cpu ? mx.getCurrentThreadCpuTime() : 0;
                }

                @Override
                public long allocatedBytes() {
                    return sun == null ? 0 : sun.getCurrentThreadAllocatedBytes();
                }
            };
        }
    }

    /** The current thread's measurement; reused, so a measured call allocates nothing. */
    private final class Frame implements Measurement {
        private Account account;
        private boolean owned;
        private long cpu0;
        private long bytes0;

        @Override
        public void close() {
            Account a = account;
            if (a == null) {
                return;
            }
            account = null;
            long cpu = clock.cpuNanos() - cpu0;
            long bytes = clock.allocatedBytes() - bytes0;
            if (cpu > 0) {
                a.measuredCpuNanos.add(cpu);
            }
            if (bytes > 0) {
                a.measuredBytes.add(bytes);
            }
        }
    }

    void enabled(boolean on) {
        this.enabled = on;
    }

    boolean enabled() {
        return enabled;
    }

    /** @return the module's account, made on first use */
    Account account(String module) {
        return accounts.computeIfAbsent(module, Account::new);
    }

    /** @return the accounts, by module */
    Map<String, Account> all() {
        return accounts;
    }

    /** Counts the current thread's work for {@code account} until the measurement is closed. */
    Measurement measure(Account account) {
        if (!enabled) {
            return NOTHING;
        }
        Frame f = frames.get();
        if (f.owned || f.account != null) {
            return NOTHING;
        }
        f.account = account;
        f.cpu0 = clock.cpuNanos();
        f.bytes0 = clock.allocatedBytes();
        return f;
    }

    /** The current thread belongs to a module: its whole time is counted by the sampler, never measured. */
    void ownCurrentThread() {
        frames.get().owned = true;
    }
}
