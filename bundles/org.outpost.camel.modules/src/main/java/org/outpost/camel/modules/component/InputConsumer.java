/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.outpost.api.message.Message;
import org.outpost.api.module.AsyncInputHandler;

/**
 * {@code outpost:input/<name>[?inFlight=n]}: while the route runs, the module has an {@link AsyncInputHandler} for the
 * input. Each message is an exchange, started in the gateway's delivery thread in the input's order; up to
 * {@code inFlight} exchanges (default {@value AsyncInputHandler#DEFAULT_IN_FLIGHT}) may be unfinished at once, so that a
 * route ending in {@code outpost:output} does not wait for each message to be stored before starting the next. A
 * message is acknowledged when its exchange completes, and stays queued (to be delivered again) when it fails;
 * {@code inFlight=1} keeps the order even across a failure.
 */
final class InputConsumer extends ServiceConsumer implements AsyncInputHandler {

    private final String input;
    private final int inFlight;

    InputConsumer(OutpostEndpoint endpoint, Processor processor, String input, int inFlight) {
        super(endpoint, processor);
        this.input = input;
        this.inFlight = inFlight;
    }

    @Override
    public CompletionStage<Void> onMessage(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!isRunAllowed()) {
            done.completeExceptionally(new IllegalStateException("the route of outpost:input/" + input
                    + " is stopping: the message stays queued"));
            return done;
        }
        Exchange exchange = createExchange(false);
        try {
            MessageMapping.toExchange(message, exchange);
            exchange.getMessage().setHeader(OutpostHeaders.INPUT_NAME, input);
        } catch (RuntimeException e) {
            releaseExchange(exchange, false);
            done.completeExceptionally(e);
            return done;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                Exception failure = exchange.getException();
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else if (exchange.isRollbackOnly()) {
                    done.completeExceptionally(new IllegalStateException("the route of outpost:input/" + input
                            + " rolled the message back"));
                } else {
                    done.complete(null);
                }
            } finally {
                releaseExchange(exchange, false);
            }
        });
        return done;
    }

    @Override
    AutoCloseable registerService() {
        return getEndpoint().getComponent().registrar().register(AsyncInputHandler.class, this,
                Map.of(AsyncInputHandler.INPUT, input, AsyncInputHandler.IN_FLIGHT, inFlight));
    }
}
