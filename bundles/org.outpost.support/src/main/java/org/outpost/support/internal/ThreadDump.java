/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

/** The JVM's threads with their full stacks and locks, as {@code jstack} prints them, and the deadlocked ones. */
final class ThreadDump {

    private ThreadDump() {
    }

    static String now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo[] all = threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(),
                threads.isSynchronizerUsageSupported());
        Arrays.sort(all, Comparator.comparing(ThreadInfo::getThreadName));
        StringBuilder out = new StringBuilder("Thread dump at ").append(Instant.now()).append(", ")
                .append(all.length).append(" threads\n");
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null) {
            out.append("DEADLOCKED thread ids: ").append(Arrays.toString(deadlocked)).append('\n');
        }
        for (ThreadInfo t : all) {
            out.append('\n').append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId())
                    .append(t.isDaemon() ? " daemon" : "").append(" prio=").append(t.getPriority()).append(' ')
                    .append(t.getThreadState());
            if (t.getLockName() != null) {
                out.append(" on ").append(t.getLockName());
            }
            if (t.getLockOwnerName() != null) {
                out.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
            }
            out.append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                for (MonitorInfo m : t.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(m).append('\n');
                    }
                }
            }
            LockInfo[] syncs = t.getLockedSynchronizers();
            if (syncs.length > 0) {
                out.append("\tLocked synchronizers:\n");
                for (LockInfo l : syncs) {
                    out.append("\t- ").append(l).append('\n');
                }
            }
        }
        return out.toString();
    }
}
