/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

/**
 * One running route.
 *
 * @param name the route's name
 * @param text the route as written
 * @param source its source path
 * @param condition its condition, or an empty string
 * @param sink its sink as written
 * @param priority its priority, 0 (highest) to 9, or -1 when it has none (it then ranks below all others)
 * @param timeToLiveSecs how long its messages may wait at the endpoint, in seconds
 * @param taken messages it took since the route set was applied
 */
public record RouteStatus(String name, String text, String source, String condition, String sink, int priority,
        long timeToLiveSecs, long taken) {
}
