/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

import org.outpost.api.message.Message;
import org.outpost.api.module.AsyncInputHandler;
import org.outpost.api.module.ModuleClient;

/**
 * The bundle module side of {@link RouteModuleBenchmark}: what {@code camel-transform.camel.yaml} does, in Java. Each
 * message on input {@code in} becomes {@code {"via":"java",<the rest of the body>}} with the same application
 * properties, sent to output {@code out}; the input is acknowledged once the output is stored. It is an
 * {@link AsyncInputHandler} sending with {@code sendAsync}, as the route's {@code outpost:input} and
 * {@code outpost:output} are, so that both have messages in flight while the journal stores earlier ones. Its component
 * description is written by hand ({@link RouteModuleBenchmark#writeJavaModule}); the client is injected into the field.
 */
public final class JavaTransform implements AsyncInputHandler {

    private static final byte[] PREFIX = "{\"via\":\"java\",".getBytes(StandardCharsets.UTF_8);

    private ModuleClient client;

    @Override
    public CompletionStage<Void> onMessage(Message message) {
        byte[] in = message.body();
        byte[] out = new byte[PREFIX.length + in.length - 1];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(in, 1, out, PREFIX.length, in.length - 1);
        return client.sendAsync("out", Message.builder().json(new String(out, StandardCharsets.UTF_8))
                .properties(message.properties()).build());
    }
}
