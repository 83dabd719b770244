/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleClient;

/**
 * {@code outpost:output/<name>}: sends the exchange's message to the module's output with
 * {@link ModuleClient#sendAsync}; the exchange goes on when the gateway has stored it, or fails with the
 * {@code SendException} when it did not.
 */
final class OutputProducer extends DefaultAsyncProducer {

    private final ModuleClient client;
    private final String output;

    OutputProducer(OutpostEndpoint endpoint, ModuleClient client, String output) {
        super(endpoint);
        this.client = client;
        this.output = output;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message;
        try {
            message = MessageMapping.fromExchange(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        try {
            client.sendAsync(output, message).whenComplete((ok, error) -> {
                if (error != null) {
                    exchange.setException(error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error);
                }
                callback.done(false);
            });
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        return false;
    }
}
