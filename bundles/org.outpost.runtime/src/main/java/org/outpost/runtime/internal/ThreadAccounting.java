/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The threads modules own, sampled on the accounting timer: the CPU time and allocated bytes of each (read for all at
 * once from the JVM's {@code ThreadMXBean}) are their module's. A thread is a module's when the module got it from its
 * {@code ModuleClient.threadFactory()} (known exactly), or else when {@link Attribution} says so (its context class
 * loader or the frames it started in are the module's). A thread that ends keeps what it had at the last sample;
 * what it used after that is lost. The sampler alone calls {@link #sample}.
 */
final class ThreadAccounting {

    /** Whose a thread is that no module got from its thread factory. */
    interface Attribution {
        /** @return the module id; "" if it is certainly no module's; null if that cannot be told now (ask again) */
        String moduleOf(Thread thread);
    }

    /** CPU time and allocated bytes of threads by id (-1 for a thread that ended). */
    interface ThreadTimes {
        long[] cpuNanos(long[] ids);

        long[] allocatedBytes(long[] ids);

        static ThreadTimes jvm() {
            java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            com.sun.management.ThreadMXBean sun = mx instanceof com.sun.management.ThreadMXBean s ? s : null;
            return new ThreadTimes() {
                @Override
                public long[] cpuNanos(long[] ids) {
                    if (sun != null) {
                        return sun.getThreadCpuTime(ids);
                    }
                    return Arrays.stream(ids).map(mx::getThreadCpuTime).toArray();
                }

                @Override
                public long[] allocatedBytes(long[] ids) {
                    if (sun != null && sun.isThreadAllocatedMemorySupported()) {
                        return sun.getThreadAllocatedBytes(ids);
                    }
                    return new long[ids.length];
                }
            };
        }
    }

    private static final class Tracked {
        final Thread thread;
        final String module;
        long cpu;
        long bytes;

        Tracked(Thread thread, String module) {
            this.thread = thread;
            this.module = module;
        }
    }

    /** Totals of one module's threads at a sample. */
    record Owned(long cpuNanos, long allocatedBytes, int threads) {
    }

    private final Map<Thread, String> given = new ConcurrentHashMap<>();
    private final Map<Long, Tracked> tracked = new HashMap<>();
    private final Set<Long> noModule = new HashSet<>();
    private final Map<String, long[]> ended = new HashMap<>();
    private final ThreadTimes times;

    ThreadAccounting(ThreadTimes times) {
        this.times = times;
    }

    /** A module got {@code thread} from its thread factory. */
    void own(String module, Thread thread) {
        given.put(thread, module);
    }

    /**
     * Samples every live thread once.
     *
     * @return per module, the CPU time and allocations of its threads since they started (those that ended
     *         included) and how many it has now
     */
    Map<String, Owned> sample(Attribution attribution) {
        Set<Long> live = new HashSet<>();
        for (Thread t : liveThreads()) {
            long id = t.getId();
            live.add(id);
            Tracked tr = tracked.get(id);
            if (tr != null && tr.thread == t || noModule.contains(id)) {
                continue;
            }
            String module = given.get(t);
            if (module == null) {
                // The common pool runs every bundle's tasks: none of its threads is one module's.
                module = t instanceof ForkJoinWorkerThread ? "" : attribution.moduleOf(t);
                if (module == null) {
                    continue;
                }
                if (module.isEmpty()) {
                    noModule.add(id);
                    continue;
                }
            }
            tracked.put(id, new Tracked(t, module));
        }
        noModule.retainAll(live);
        List<Tracked> all = List.copyOf(tracked.values());
        long[] ids = all.stream().mapToLong(tr -> tr.thread.getId()).toArray();
        long[] cpu = times.cpuNanos(ids);
        long[] bytes = times.allocatedBytes(ids);
        Map<String, long[]> sums = new HashMap<>();
        ended.forEach((m, v) -> sums.put(m, new long[] {v[0], v[1], 0}));
        for (int i = 0; i < all.size(); i++) {
            Tracked tr = all.get(i);
            boolean alive = live.contains(ids[i]) && cpu[i] >= 0 && tr.thread.isAlive();
            if (cpu[i] >= 0) {
                tr.cpu = Math.max(tr.cpu, cpu[i]);
            }
            if (bytes[i] >= 0) {
                tr.bytes = Math.max(tr.bytes, bytes[i]);
            }
            long[] sum = sums.computeIfAbsent(tr.module, m -> new long[3]);
            sum[0] += tr.cpu;
            sum[1] += tr.bytes;
            if (alive) {
                sum[2]++;
            } else {
                // Ended: what it had at this sample stays its module's.
                long[] e = ended.computeIfAbsent(tr.module, m -> new long[2]);
                e[0] += tr.cpu;
                e[1] += tr.bytes;
                tracked.remove(ids[i]);
                given.remove(tr.thread);
            }
        }
        given.keySet().removeIf(t -> t.getState() == Thread.State.TERMINATED);
        Map<String, Owned> out = new HashMap<>();
        sums.forEach((m, s) -> out.put(m, new Owned(s[0], s[1], (int) s[2])));
        return out;
    }

    /** @return every live thread of the JVM, without their stacks */
    static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 32];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return Arrays.copyOf(threads, n);
    }
}
