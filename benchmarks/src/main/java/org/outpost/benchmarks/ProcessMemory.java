/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process's memory: a JVM's heap in use after a full collection (jcmd), any process's resident set (/proc). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** @return the heap in use after a full collection, in KB (jcmd's GC.heap_info) */
    public static long heapAfterGcKb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        // Serial and parallel collectors list their generations, G1 one heap: the sum is the heap in use.
        Matcher m = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        boolean any = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            any = true;
        }
        if (!any) {
            throw new IllegalStateException("no heap use in jcmd's answer: " + info);
        }
        return used;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** @return the resident set size in KB */
    public static long rssKb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }
}
