/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.commons.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Progress of {@code edge:deploy} for people: while the deployment runs, the modules of the manifest as the runtime
 * sees them (image pulls, starts, failures), one line per change with the time since the start and how many of the
 * manifest's modules run, and a "still working" line when nothing changed for a while (a feature downloading).
 */
final class DeployProgress {

    /** A "still working" line after this long without a change. */
    static final Duration QUIET = Duration.ofSeconds(5);

    private final Set<String> expected;
    private final Map<String, String> shown = new HashMap<>();
    private Duration lastLine = Duration.ZERO;

    DeployProgress(Set<String> expected) {
        this.expected = expected;
    }

    /** @return the modules a manifest deploys (its {@code $edgeAgent} desired {@code modules}), empty if none */
    static Set<String> modules(String manifestJson) {
        try {
            JsonNode modules = ((JsonNode) Json.read(manifestJson)).path("modulesContent").path("$edgeAgent")
                    .path("properties.desired").path("modules");
            Set<String> names = new LinkedHashSet<>();
            modules.fieldNames().forEachRemaining(names::add);
            return names;
        } catch (RuntimeException e) {
            return Set.of(); // the deployment says what is wrong with it
        }
    }

    /**
     * @param modules the runtime's modules now
     * @param elapsed time since the deployment started
     * @return the lines to print now
     */
    List<String> poll(List<ModuleInfo> modules, Duration elapsed) {
        Map<String, ModuleInfo> byName = new HashMap<>();
        modules.forEach(m -> byName.put(m.name(), m));
        long running = expected.stream().filter(n -> byName.containsKey(n) && byName.get(n).state()
                == ModuleState.RUNNING).count();
        String count = running + "/" + expected.size() + " modules running";
        List<String> lines = new ArrayList<>();
        for (String name : expected) {
            ModuleInfo m = byName.get(name);
            if (m == null) {
                continue;
            }
            String state = describe(m);
            if (!state.equals(shown.put(name, state))) {
                lines.add(String.format(Locale.ROOT, "[%5.1f s] %s: %s (%s)", elapsed.toMillis() / 1000.0, name,
                        state, count));
            }
        }
        if (lines.isEmpty() && elapsed.minus(lastLine).compareTo(QUIET) >= 0) {
            List<String> waiting = new ArrayList<>();
            for (String name : expected) {
                ModuleInfo m = byName.get(name);
                if (m == null) {
                    waiting.add(name + ": not started yet (installing)");
                } else if (m.state() != ModuleState.RUNNING) {
                    waiting.add(name + ": " + describe(m));
                }
            }
            lines.add(String.format(Locale.ROOT, "[%5.1f s] still working: %s%s", elapsed.toMillis() / 1000.0, count,
                    waiting.isEmpty() ? "; checking that they keep running" : "; " + String.join(", ", waiting)));
        }
        if (!lines.isEmpty()) {
            lastLine = elapsed;
        }
        return lines;
    }

    private static String describe(ModuleInfo m) {
        String state = m.state().name().toLowerCase(Locale.ROOT);
        String reason = m.reason() == null ? "" : m.reason().strip();
        if (reason.length() > 100) {
            reason = reason.substring(0, 100) + "...";
        }
        return reason.isEmpty() || m.state() == ModuleState.RUNNING ? state : state + ": " + reason;
    }
}
