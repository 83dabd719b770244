/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the operating system counts: a process tree's CPU time ({@link ProcessHandle.Info#totalCpuDuration()}) and
 * resident memory ({@code VmRSS} of {@code /proc/<pid>/status}), the host's memory ({@code /proc/meminfo}: used is
 * total less available) and uptime. Where {@code /proc} is missing (not Linux), memory reads -1.
 */
final class OsUsage {

    /** A process with its descendants now. */
    record Tree(double cpuSeconds, long residentBytes, int processes) {
    }

    /** The host: CPU share (0-100) over the JVM's last interval, memory in bytes, uptime in seconds. */
    record Host(double cpuPercent, long totalMemory, long usedMemory, double uptimeSeconds) {
    }

    private final Path proc;

    OsUsage(Path proc) {
        this.proc = proc;
    }

    /** @return the process and its descendants, or empty if it does not run */
    Optional<Tree> tree(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root.get());
        root.get().descendants().forEach(all::add);
        double cpu = 0;
        long rss = 0;
        boolean known = false;
        for (ProcessHandle h : all) {
            cpu += h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
            long r = residentBytes(h.pid());
            if (r >= 0) {
                rss += r;
                known = true;
            }
        }
        return Optional.of(new Tree(cpu, known ? rss : -1, all.size()));
    }

    /** @return {@code VmRSS} of the process in bytes, or -1 if unknown */
    long residentBytes(long pid) {
        return kilobytes(proc.resolve(Long.toString(pid)).resolve("status"), "VmRSS:");
    }

    /** @return this JVM's resident memory, or its heap and non-heap use where {@code /proc} is missing */
    long selfResidentBytes() {
        long rss = residentBytes(ProcessHandle.current().pid());
        if (rss >= 0) {
            return rss;
        }
        var mem = ManagementFactory.getMemoryMXBean();
        return mem.getHeapMemoryUsage().getUsed() + mem.getNonHeapMemoryUsage().getUsed();
    }

    Host host() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        double cpu = -1;
        long total = -1;
        long free = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            cpu = sun.getCpuLoad() * 100;
            total = sun.getTotalMemorySize();
            free = sun.getFreeMemorySize();
        }
        long memTotal = kilobytes(proc.resolve("meminfo"), "MemTotal:");
        long available = kilobytes(proc.resolve("meminfo"), "MemAvailable:");
        if (memTotal > 0 && available >= 0) {
            total = memTotal;
            free = available;
        }
        double uptime = -1;
        try {
            uptime = Double.parseDouble(Files.readString(proc.resolve("uptime")).strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // No /proc/uptime: not Linux.
        }
        return new Host(cpu, total, total < 0 || free < 0 ? -1 : total - free, uptime);
    }

    /** @return the value in bytes of a {@code Key:   123 kB} line, or -1 */
    private static long kilobytes(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).strip().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended, or no /proc.
        }
        return -1;
    }
}
