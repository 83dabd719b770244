/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import com.fasterxml.jackson.databind.JsonNode;

/** One evaluation: the message, its body parsed at most once, and the first operand that was undefined. */
final class EvalContext {

    final RouteMessage message;
    private JsonNode body;
    private boolean bodyRead;
    String firstUndefined;

    EvalContext(RouteMessage message) {
        this.message = message;
    }

    /** Records {@code text} as the reason for an undefined result, if none was recorded yet. */
    Object undefined(String text) {
        return undefined(text, Value.UNDEFINED);
    }

    /** Records {@code text} as the reason for an undefined result; @return {@code value} */
    <T> T undefined(String text, T value) {
        if (firstUndefined == null) {
            firstUndefined = text;
        }
        return value;
    }

    /** @return the body as a JSON object, or null when edgeHub could not read it (see {@link BodyJson}) */
    JsonNode json() {
        if (!bodyRead) {
            bodyRead = true;
            body = message instanceof JsonBody cached ? cached.parsedJson() : BodyJson.parse(message);
        }
        return body;
    }
}
