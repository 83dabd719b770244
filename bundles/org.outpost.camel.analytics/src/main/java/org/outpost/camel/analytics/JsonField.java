/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * A field of the JSON body as a Camel expression, for any EIP that takes one through the {@code ref} language
 * ({@code correlationExpression: {ref: machineId}}, {@code idempotentConsumer: {ref: readingId, ...}}): the text of
 * the scalar at {@code path} ({@link FieldPath}), or null when the body is not JSON or has no such field.
 */
public class JsonField implements Expression {

    private FieldPath path = FieldPath.parse("");

    /** @param path the field, such as {@code id} or {@code machine.id} */
    public void setPath(String path) {
        this.path = FieldPath.parse(path);
    }

    @Override
    public <T> T evaluate(Exchange exchange, Class<T> type) {
        String text;
        try {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            JsonNode root = body == null ? null : ReadingExtractor.JSON.readTree(body);
            text = root == null ? null : path.text(root);
        } catch (IOException notJson) {
            text = null;
        }
        return text == null ? null : exchange.getContext().getTypeConverter().convertTo(type, exchange, text);
    }

    @Override
    public String toString() {
        return "jsonField(" + path + ")";
    }
}
