/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.health;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's check runner: runs the registered {@link Check}s, each bounded in time, and reports them. */
@ProviderType
public interface Checks {

    /**
     * One check's report.
     *
     * @param name the check's {@link Check#NAME}
     * @param tags its {@link Check#TAGS}
     * @param result what it found (critical when it threw or did not answer in time, saying so)
     * @param took how long it ran
     */
    record Report(String name, List<String> tags, CheckResult result, Duration took) {
        public Report {
            tags = List.copyOf(tags);
        }
    }

    /**
     * Runs the checks now.
     *
     * @param tags run only checks with at least one of these tags; empty for all
     * @return their reports, sorted by name
     */
    List<Report> run(Set<String> tags);
}
