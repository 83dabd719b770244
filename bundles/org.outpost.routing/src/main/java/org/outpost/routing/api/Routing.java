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

    /**
     * Replaces the routes with those of an IoT Edge {@code $edgeHub} section (a whole manifest, the section, its
     * {@code properties.desired}, or {@code {"routes": ..., "storeAndForwardConfiguration": ...}}). They are checked
     * first: a set with any error is rejected whole and the running routes stay. Valid routes are stored as the
     * routing configuration and applied without a restart; queued messages are kept.
     *
     * @throws IllegalArgumentException saying what is wrong and where (JSON path, route, column)
     * @throws java.io.IOException if the configuration cannot be stored
     */
    void setRoutes(String edgeHubJson) throws java.io.IOException;
}
