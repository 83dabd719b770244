/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.Map;

/**
 * A cloud-to-device message waiting for its identity.
 *
 * @param seq its place in the identity's order (increasing): the next messages are asked for after it
 * @param properties its property bag ({@code $.mid} and the rest), in order
 * @param body its body
 */
public record CloudToDeviceMessage(long seq, Map<String, String> properties, byte[] body) {

    public CloudToDeviceMessage {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
