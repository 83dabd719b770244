/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.outpost.api.module.MethodHandler;

/**
 * {@code outpost:method/<name>}: while the route runs, the module has a {@link MethodHandler} for the method. The
 * request's JSON payload is the body (text, null when none); the body at the end of the route is the answer (JSON text
 * as it is, other text as a JSON string, maps and lists as JSON) and the header {@value OutpostHeaders#METHOD_STATUS}
 * its status (200 when absent). A route that fails answers 500 with the error, 400 for an
 * {@link IllegalArgumentException}.
 */
final class MethodConsumer extends ServiceConsumer implements MethodHandler {

    private final String method;

    MethodConsumer(OutpostEndpoint endpoint, Processor processor, String method) {
        super(endpoint, processor);
        this.method = method;
    }

    @Override
    public Result invoke(String payloadJson) throws Exception {
        if (!isRunAllowed()) {
            throw new IllegalStateException("the route of outpost:method/" + method + " is stopping");
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.setPattern(ExchangePattern.InOut);
            exchange.getMessage().setBody(payloadJson);
            exchange.getMessage().setHeader(OutpostHeaders.METHOD_NAME, method);
            getProcessor().process(exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                throw failure;
            }
            Integer status = exchange.getMessage().getHeader(OutpostHeaders.METHOD_STATUS, Integer.class);
            return new Result(status == null ? 200 : status, MessageMapping.toJsonAnswer(exchange));
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    AutoCloseable registerService() {
        return getEndpoint().getComponent().registrar().register(MethodHandler.class, this,
                Map.of(MethodHandler.NAME, method));
    }
}
