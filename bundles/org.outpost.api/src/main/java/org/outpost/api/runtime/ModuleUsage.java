/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.util.Objects;

/**
 * What one module used, as last sampled (see {@link ModuleResources}).
 *
 * @param module the module id
 * @param source how it was measured: {@code jvm} (a bundle module: the CPU time and allocations of the threads it owns
 *            and of the runtime's threads while they call it, from the JVM's {@code ThreadMXBean}) or {@code os} (a
 *            process or container module: its processes as the operating system counts them)
 * @param cpuSeconds CPU time used since the module was first seen (or since the gateway started)
 * @param cpuPercent share of the whole machine's CPU (all cores: 100 is every core busy) over the last sampling
 *            interval, as IoT Edge's {@code edgeAgent_used_cpu_percent}
 * @param allocatedBytes heap bytes allocated since first seen ({@code jvm} only; -1 for {@code os})
 * @param memoryBytes resident memory of its processes ({@code os} only; -1 for {@code jvm}: bundle modules share one
 *            heap, whose content is not attributed)
 * @param threads the threads ({@code jvm}) or processes ({@code os}) it has now
 */
public record ModuleUsage(String module, String source, double cpuSeconds, double cpuPercent, long allocatedBytes,
        long memoryBytes, int threads) {

    /** {@link #source()} of a bundle module. */
    public static final String JVM = "jvm";
    /** {@link #source()} of a process or container module. */
    public static final String OS = "os";

    public ModuleUsage {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(source, "source");
    }

}
