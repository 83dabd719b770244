/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.outpost.hub.routing.EndpointSettings;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.EndpointType;

/**
 * Endpoint type {@code files}: JSON lines (one object per message) in files of a folder, rotated by size and time, the
 * oldest deleted beyond a count. Settings: {@code folder} (relative to {@code ${karaf.data}}), {@code prefix} (default:
 * the endpoint's name), {@code maxFileBytes} (64 MiB), {@code rotateSeconds} (3600), {@code maxFiles} (100; 0 keeps
 * all).
 */
@Component(service = EndpointType.class, property = EndpointType.TYPE + "=" + FilesEndpointType.TYPE)
public final class FilesEndpointType implements EndpointType {

    static final String TYPE = "files";
    private static final Set<String> KNOWN = Set.of("folder", "prefix", "maxFileBytes", "rotateSeconds", "maxFiles");

    @Override
    public EndpointSink open(String name, Map<String, Object> settings) {
        EndpointSettings s = new EndpointSettings(settings, KNOWN);
        String prefix = s.string("prefix", name);
        if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}")) {
            throw EndpointSettings.wrong("prefix", "'" + prefix + "' cannot start a file name (letters, digits, . _ -)");
        }
        return new FilesSink(name, new FilesSink.Options(
                EndpointSettings.resolve(s.string("folder"), System.getProperty("karaf.data")), prefix,
                s.number("maxFileBytes", 64L << 20, 1024), Duration.ofSeconds(s.number("rotateSeconds", 3600, 1)),
                (int) Math.min(Integer.MAX_VALUE, s.number("maxFiles", 100, 0))), Clock.systemUTC());
    }
}
