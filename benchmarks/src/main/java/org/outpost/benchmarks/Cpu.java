/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from {@code /proc/<pid>/stat} (Linux), as a share of one core over an interval. */
final class Cpu {

    /** Clock ticks per second of {@code /proc} times; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;

    private final long pid;
    private long startTicks;
    private long startNanos;

    Cpu(long pid) {
        this.pid = pid;
    }

    void start() throws IOException {
        startTicks = ticks();
        startNanos = System.nanoTime();
    }

    /** @return CPU used since {@link #start()}, in percent of one core */
    double percent() throws IOException {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return (ticks() - startTicks) / TICKS / seconds * 100;
    }

    private long ticks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name (which may hold spaces) start after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
