/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the check runner and the built-in checks: one PID, {@code etc/org.outpost.health.cfg}, which
 * every component of this bundle reads (the runner designates it for Metatype).
 */
@ObjectClassDefinition(name = "Outpost health checks", description = "The check runner (edge:check, the $edgeAgent"
        + " twin's health, the hub's device health) and the thresholds of the built-in checks.")
public @interface HealthConfig {

    /** The PID, {@code etc/org.outpost.health.cfg}. */
    String PID = "org.outpost.health";

    @AttributeDefinition(description = "Seconds a check may take before it is reported critical (not answering).")
    int timeout_seconds() default 5;

    @AttributeDefinition(description = "Seconds a report is reused for the same tags (the twin and the shell asking"
            + " at once run the checks once).")
    int cache_seconds() default 2;

    @AttributeDefinition(description = "Warn when a certificate (the gateway's CA, a tls.ca file) expires within"
            + " this many days.")
    int certificate_warn_days() default 30;

    @AttributeDefinition(description = "An NTP server (host or host:port) to measure the clock against, as iotedge"
            + " check does (e.g. pool.ntp.org); empty: the clock is only checked for being plausible.")
    String ntp_server() default "";

    @AttributeDefinition(description = "Without ntp.server: an http(s) URL whose Date header the clock is compared"
            + " with, to the second: the hub's REST API, e.g. https://hub:8443/api/openapi.json (open without a"
            + " token); empty: not measured.")
    String clock_http_url() default "";

    @AttributeDefinition(description = "Warn when the clock is off by this many seconds or more.")
    int clock_warn_seconds() default 10;

    @AttributeDefinition(description = "Critical when the clock is off by this many seconds or more (SAS tokens and"
            + " TLS certificates start failing).")
    int clock_critical_seconds() default 300;

    @AttributeDefinition(description = "Critical when the data folder (the journal) has less than this many MB free;"
            + " a warning below twice as much.")
    long min_free_mb() default 512;

    @AttributeDefinition(description = "A module restarted this many times (restartCount) and not running is in a"
            + " restart loop: critical.")
    int restart_loop_count() default 3;

    @AttributeDefinition(description = "Further TCP ports the gateway must listen on, as port:what (comma-separated),"
            + " besides those the IoT Hub endpoint and the metrics endpoint are configured with.")
    String ports() default "";
}
