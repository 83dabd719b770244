/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One type of routing endpoint (webhook, Kafka, PostgreSQL table, files...): a whiteboard service registered with
 * the property {@value #TYPE} naming it as endpoints' {@code type} reads. The hub keeps each endpoint's queue durable
 * and in order, retries a failed delivery with back-off and moves what keeps failing to the endpoint's dead letters:
 * a type only delivers.
 */
@ConsumerType
public interface EndpointType {

    /** The service property that names the type, e.g. {@code webhook} or {@code kafka}. */
    String TYPE = "outpost.hub.endpoint.type";

    /**
     * Checks an endpoint's settings and opens it. Opening does not connect: the first delivery does.
     *
     * @param name the endpoint's name
     * @param settings the endpoint's settings (JSON values: strings, numbers, booleans, lists, maps)
     * @return the endpoint's sink
     * @throws IllegalArgumentException if a setting is missing or wrong, naming it ({@code settings.url: ...})
     */
    EndpointSink open(String name, Map<String, Object> settings);
}
