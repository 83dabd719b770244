/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;

/**
 * The clock (iotedge check's "host time is close to real time"): measured against {@code ntp.server} when one is
 * configured (a warning from {@code clock.warn.seconds}, critical from {@code clock.critical.seconds}: SAS tokens and
 * TLS certificates fail), else only checked for being plausible (not before this release was built).
 */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {Check.NAME + "=clock",
    Check.TAGS + "=time", Check.TAGS + "=connectivity"})
public final class ClockCheck implements Check {

    /** No correct clock is before this. */
    static final Instant PLAUSIBLE = Instant.parse("2025-01-01T00:00:00Z");
    private static final String SET_TIME = "install and enable an NTP client (chrony, systemd-timesyncd)";

    private final String server;
    private final Duration warn;
    private final Duration critical;
    private final Clock clock;

    @Activate
    public ClockCheck(HealthConfig config) {
        this(config.ntp_server(), Duration.ofSeconds(config.clock_warn_seconds()),
                Duration.ofSeconds(config.clock_critical_seconds()), Clock.systemUTC());
    }

    ClockCheck(String server, Duration warn, Duration critical, Clock clock) {
        this.server = server == null ? "" : server.strip();
        this.warn = warn;
        this.critical = critical;
        this.clock = clock;
    }

    @Override
    public CheckResult run() {
        Instant now = clock.instant();
        if (now.isBefore(PLAUSIBLE)) {
            return CheckResult.critical("the clock says " + now + ", which is in the past", SET_TIME + "; message"
                    + " times, SAS tokens and TLS certificates depend on it");
        }
        if (server.isEmpty()) {
            return CheckResult.ok(now + " (not measured: set ntp.server in etc/" + HealthConfig.PID + ".cfg to"
                    + " compare with an NTP server)");
        }
        Duration offset;
        try {
            offset = Sntp.offset(server, Duration.ofSeconds(3), clock);
        } catch (IOException | RuntimeException e) {
            return CheckResult.warn("cannot query the NTP server " + server + ": " + e, "check that " + server
                    + " is reachable over UDP port 123, or set ntp.server in etc/" + HealthConfig.PID
                    + ".cfg to one that is");
        }
        Duration off = offset.abs();
        String detail = "the clock is " + String.format(java.util.Locale.ROOT, "%.3f", off.toMillis() / 1000.0)
                + " s " + (offset.isNegative() ? "ahead of " : "behind ") + server;
        if (off.compareTo(critical) >= 0) {
            return CheckResult.critical(detail, SET_TIME + ": SAS tokens and TLS certificates fail with a clock this"
                    + " far off");
        }
        if (off.compareTo(warn) >= 0) {
            return CheckResult.warn(detail, SET_TIME + ": this may cause problems connecting to the hub");
        }
        return CheckResult.ok(detail);
    }
}
