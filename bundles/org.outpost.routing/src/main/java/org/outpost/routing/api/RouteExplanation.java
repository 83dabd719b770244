/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

/**
 * Whether one route takes a message, and why not.
 *
 * @param route the route's name
 * @param taken true if the route takes the message
 * @param reason {@code taken}, {@code source does not match}, {@code condition is false}, or
 *            {@code condition is undefined: <operand> has no value}
 */
public record RouteExplanation(String route, boolean taken, String reason) {
}
