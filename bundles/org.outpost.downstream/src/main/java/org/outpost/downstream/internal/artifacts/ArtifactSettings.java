/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;

/**
 * The validated configuration of the artifact endpoint ({@code etc/org.outpost.downstream.artifacts.cfg}).
 *
 * @param port the HTTPS port, -1 for none (the default: a parent gateway turns it on)
 * @param host the address it listens on
 * @param folders repository folders served as they are
 * @param fetch whether what the folders lack is fetched through pax-url
 * @param threads requests served at once
 * @param readTimeout how long a client may take to send its request
 * @param authMaxFailuresPerMinute failed authentications per address and minute before the address is refused
 */
record ArtifactSettings(int port, String host, List<Path> folders, boolean fetch, int threads, Duration readTimeout,
        int authMaxFailuresPerMinute) {

    static final String PID = "org.outpost.downstream.artifacts";

    static ArtifactSettings from(ArtifactEndpoint.Config c, Map<String, ?> raw, Path karafHome)
            throws InvalidConfigurationException {
        ConfigValues v = new ConfigValues(PID, c, raw);
        int port = v.get("port", c::port, p -> p >= -1 && p <= 65535, "-1 (off), 0 (any free port) or 1-65535");
        String host = v.get("host", c::host, h -> !h.isBlank(), "an address to listen on, e.g. 0.0.0.0");
        String folders = v.get("folders", c::folders, f -> true, "repository folders, comma-separated");
        boolean fetch = v.get("fetch", c::fetch, "true or false");
        int threads = v.get("threads", c::threads, t -> t >= 1 && t <= 64, "1 to 64");
        int timeout = v.get("read.timeout.seconds", c::read_timeout_seconds, t -> t >= 1 && t <= 600, "1 to 600");
        int failures = v.get("auth.max.failures.per.minute", c::auth_max_failures_per_minute, f -> f >= 1,
                "at least 1");
        List<Path> roots = Arrays.stream(folders.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> karafHome.resolve(s).normalize()).toList();
        return new ArtifactSettings(port, host, roots, fetch, threads, Duration.ofSeconds(timeout), failures);
    }
}
