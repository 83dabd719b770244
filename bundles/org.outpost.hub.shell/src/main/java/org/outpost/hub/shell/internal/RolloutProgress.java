/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.shell.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rollout's progress for {@code hub:deployment --watch}: a bar of the targeted devices that applied it and
 * succeeded, one line each time the counts change, and each new failure with its reason.
 */
final class RolloutProgress {

    static final int WIDTH = 20;

    private String last = "";
    private final Set<String> failuresShown = new HashSet<>();

    /** @return {@code [####++....]}: {@code #} succeeded, {@code +} applied and not (yet) succeeded, of targeted */
    static String bar(int succeeded, int applied, int targeted) {
        int ok = targeted == 0 ? 0 : Math.min(WIDTH, succeeded * WIDTH / targeted);
        int done = targeted == 0 ? 0 : Math.min(WIDTH, Math.max(ok, applied * WIDTH / targeted));
        return "[" + "#".repeat(ok) + "+".repeat(done - ok) + ".".repeat(WIDTH - done) + "]";
    }

    /** @return whether every targeted device has succeeded or failed (nothing more will happen by itself) */
    static boolean settled(List<String> targeted, List<String> succeeded, Map<String, String> failed) {
        return !targeted.isEmpty() && targeted.stream().allMatch(d -> succeeded.contains(d)
                || failed.containsKey(d));
    }

    /** @return the lines to print now: the counts when they changed, and the failures not shown yet */
    List<String> poll(List<String> targeted, List<String> applied, List<String> succeeded,
            Map<String, String> failed, List<String> pending, Duration elapsed) {
        long appliedTargeted = applied.stream().filter(targeted::contains).count();
        long succeededTargeted = succeeded.stream().filter(targeted::contains).count();
        String counts = bar((int) succeededTargeted, (int) appliedTargeted, targeted.size()) + " applied "
                + appliedTargeted + "/" + targeted.size() + ", succeeded " + succeededTargeted + ", failed "
                + failed.size() + ", pending " + pending.size();
        List<String> lines = new ArrayList<>();
        if (!counts.equals(last)) {
            lines.add(String.format(Locale.ROOT, "[%5.1f s] %s", elapsed.toMillis() / 1000.0, counts));
            last = counts;
        }
        failed.entrySet().stream().sorted(Map.Entry.comparingByKey()).filter(e -> failuresShown.add(e.getKey()))
                .forEach(e -> lines.add("          " + e.getKey() + " failed: " + e.getValue()));
        return lines;
    }
}
