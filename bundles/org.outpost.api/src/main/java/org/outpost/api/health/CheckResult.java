/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.health;

import java.util.Objects;

/**
 * What a {@link Check} found.
 *
 * @param level ok, warn or critical
 * @param detail what was found, for operators (one line)
 * @param action what to do about it; empty when the level is {@link Level#OK}
 */
public record CheckResult(Level level, String detail, String action) {

    /** How bad, in the order Felix Health Checks uses (a report's level is its worst check's). */
    public enum Level {
        /** Nothing to do. */
        OK,
        /** Works, but needs attention soon (a certificate expiring in 20 days, the cloud unreachable). */
        WARN,
        /** Does not work or is about to stop working (an expired certificate, a full disk). */
        CRITICAL;

        /** @return the lower-case name used in JSON and tables: {@code ok}, {@code warn}, {@code critical} */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CheckResult {
        Objects.requireNonNull(level, "level");
        detail = detail == null ? "" : detail;
        action = action == null ? "" : action;
    }

    /** @return an ok result */
    public static CheckResult ok(String detail) {
        return new CheckResult(Level.OK, detail, "");
    }

    /** @return a warning with what to do */
    public static CheckResult warn(String detail, String action) {
        return new CheckResult(Level.WARN, detail, action);
    }

    /** @return a critical result with what to do */
    public static CheckResult critical(String detail, String action) {
        return new CheckResult(Level.CRITICAL, detail, action);
    }
}
