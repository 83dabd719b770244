/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message routed to one of a module's inputs, waiting for the module.
 *
 * @param seq its place in the module's order (increasing): the next messages are asked for after it
 * @param input the input's name
 * @param properties its property bag (application and system properties, {@code $.mid} and the rest), in order
 * @param body its body
 */
public record InputMessage(long seq, String input, Map<String, String> properties, byte[] body) {

    public InputMessage {
        Objects.requireNonNull(input, "input");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
