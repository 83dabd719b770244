/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's router. */
@ProviderType
public interface Routing {

    /** @return the running routes, sorted by name */
    List<RouteStatus> routes();

    /** @return messages no route took since the gateway started */
    long noRoute();

    /**
     * Explains, for each running route, whether it would take a message.
     *
     * @param messageJson the message as the route tester reads it: {@code {"source": ..., "body": ... or
     *            "bodyBase64": ..., "contentType": ..., "contentEncoding": ..., "appProperties": {...},
     *            "systemProperties": {...}}}
     * @return one explanation per route
     * @throws IllegalArgumentException if the message JSON is malformed, saying what is wrong
     */
    List<RouteExplanation> explain(String messageJson);
}
