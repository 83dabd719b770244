/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A route message that keeps its parsed JSON body, so that every route of a set that queries {@code $body} shares
 * one parse. The messages of {@link RouteMessage#of} are such messages.
 */
interface JsonBody {

    /** @return the parsed body as {@link BodyJson#parse} gives it (null when edgeHub could not read it) */
    JsonNode parsedJson();
}
