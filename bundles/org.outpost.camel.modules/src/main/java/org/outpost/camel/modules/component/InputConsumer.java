/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.outpost.api.message.Message;
import org.outpost.api.module.InputHandler;

/**
 * {@code outpost:input/<name>}: while the route runs, the module has an {@link InputHandler} for the input. Each
 * message is an exchange, processed in the gateway's delivery thread (one at a time, in order); the message is
 * acknowledged when the exchange completes, and stays queued (to be delivered again) when it fails.
 */
final class InputConsumer extends ServiceConsumer implements InputHandler {

    private final String input;

    InputConsumer(OutpostEndpoint endpoint, Processor processor, String input) {
        super(endpoint, processor);
        this.input = input;
    }

    @Override
    public void onMessage(Message message) throws Exception {
        if (!isRunAllowed()) {
            throw new IllegalStateException("the route of outpost:input/" + input + " is stopping: the message stays"
                    + " queued");
        }
        Exchange exchange = createExchange(false);
        try {
            MessageMapping.toExchange(message, exchange);
            exchange.getMessage().setHeader(OutpostHeaders.INPUT_NAME, input);
            getProcessor().process(exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                throw failure;
            }
            if (exchange.isRollbackOnly()) {
                throw new IllegalStateException("the route of outpost:input/" + input + " rolled the message back");
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    AutoCloseable registerService() {
        return getEndpoint().getComponent().registrar().register(InputHandler.class, this,
                Map.of(InputHandler.INPUT, input));
    }
}
