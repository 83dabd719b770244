/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.routing;

import java.time.Instant;
import java.util.Objects;

import org.outpost.api.message.Message;

/**
 * A device message on its way to an endpoint.
 *
 * @param route the route that matched it
 * @param sequence its place in the endpoint's queue: strictly increasing per endpoint, so a sink (or the system
 *            behind it) can tell a redelivery from a new message
 * @param enqueuedTime when the hub received it ({@code iothub-enqueuedtime})
 * @param message the message, with its application and system properties ({@code connectionDeviceId} and
 *            {@code connectionModuleId} say who sent it)
 */
public record RoutedMessage(String route, long sequence, Instant enqueuedTime, Message message) {

    public RoutedMessage {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(enqueuedTime, "enqueuedTime");
        Objects.requireNonNull(message, "message");
    }
}
