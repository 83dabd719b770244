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
 * configured, else against the {@code Date} header of {@code clock.http.url} (the hub's REST API) when that is (a
 * warning from {@code clock.warn.seconds}, critical from {@code clock.critical.seconds}: SAS tokens and TLS
 * certificates fail); without either only checked for being plausible.
 */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {Check.NAME + "=clock",
    Check.TAGS + "=time", Check.TAGS + "=connectivity"})
public final class ClockCheck implements Check {

    /** No correct clock is before this. */
    static final Instant PLAUSIBLE = Instant.parse("2025-01-01T00:00:00Z");
    private static final String SET_TIME = "install and enable an NTP client (chrony, systemd-timesyncd)";

    private final String server;
    private final String httpUrl;
    private final Duration warn;
    private final Duration critical;
    private final Clock clock;

    @Activate
    public ClockCheck(HealthConfig config) {
        this(config.ntp_server(), config.clock_http_url(), Duration.ofSeconds(config.clock_warn_seconds()),
                Duration.ofSeconds(config.clock_critical_seconds()), Clock.systemUTC());
    }

    ClockCheck(String server, Duration warn, Duration critical, Clock clock) {
        this(server, "", warn, critical, clock);
    }

    ClockCheck(String server, String httpUrl, Duration warn, Duration critical, Clock clock) {
        this.server = server == null ? "" : server.strip();
        this.httpUrl = httpUrl == null ? "" : httpUrl.strip();
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
        if (server.isEmpty() && httpUrl.isEmpty()) {
            return CheckResult.ok(now + " (not measured: set ntp.server, or clock.http.url to the hub's"
                    + " /api/openapi.json, in etc/" + HealthConfig.PID + ".cfg)");
        }
        Duration offset;
        String against = server.isEmpty() ? httpUrl : server;
        try {
            offset = server.isEmpty() ? HttpDate.offset(httpUrl, Duration.ofSeconds(3), clock)
                    : Sntp.offset(server, Duration.ofSeconds(3), clock);
        } catch (IOException | RuntimeException e) {
            return CheckResult.warn("cannot ask " + (server.isEmpty() ? "" : "the NTP server ") + against
                    + " for the time: " + e, "check that " + against + " is reachable" + (server.isEmpty() ? ""
                            : " over UDP port 123") + ", or set " + (server.isEmpty() ? "clock.http.url"
                                    : "ntp.server") + " in etc/" + HealthConfig.PID + ".cfg to one that is");
        }
        Duration off = offset.abs();
        String detail = "the clock is " + String.format(java.util.Locale.ROOT, "%.3f", off.toMillis() / 1000.0)
                + " s " + (offset.isNegative() ? "ahead of " : "behind ") + against
                + (server.isEmpty() ? " (its Date header, to the second)" : "");
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
