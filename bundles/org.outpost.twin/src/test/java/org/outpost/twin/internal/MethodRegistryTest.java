/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.MethodHandler;

class MethodRegistryTest {

    private final Map<ServiceReference<?>, MethodHandler> registered = new HashMap<>();
    private final ModuleServices services = new ModuleServices(Fakes.fake(BundleContext.class,
            Map.of("getServiceObjects", args -> {
                MethodHandler h = registered.get(args[0]);
                return h == null ? null : Fakes.objects(h, new int[2]);
            })));
    private MethodRegistry registry = new MethodRegistry(services);

    @AfterEach
    void close() {
        registry.close();
    }

    private ServiceReference<MethodHandler> handler(String module, String name, MethodHandler h) {
        ServiceReference<MethodHandler> ref = Fakes.reference(module, name == null ? Map.of()
                : Map.of(MethodHandler.NAME, name));
        registered.put(ref, h);
        registry.addMethod(ref);
        return ref;
    }

    private static MethodHandler.Result answer(CompletionStage<MethodHandler.Result> r) throws Exception {
        return r.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMethodAnswersWithItsStatusAndPayloadOnAMethodThread() throws Exception {
        handler("filter", "reset", payload -> new MethodHandler.Result(201, "{\"was\":" + payload + ",\"on\":\""
                + Thread.currentThread().getName() + "\"}"));

        assertThat(answer(registry.invoke("filter", "reset", "{\"hard\":true}"))).isEqualTo(
                new MethodHandler.Result(201, "{\"was\":{\"hard\":true},\"on\":\"outpost-module-method\"}"));
    }

    @Test
    void aMethodTheModuleDoesNotHaveIsAnswered501() throws Exception {
        handler("filter", "reset", payload -> MethodHandler.Result.ok("1"));

        assertThat(answer(registry.invoke("filter", "restart", "null"))).isEqualTo(
                new MethodHandler.Result(501, "{\"message\":\"module 'filter' has no method 'restart'\"}"));
        assertThat(answer(registry.invoke("sensor", "reset", "null")).status()).isEqualTo(501);
    }

    @Test
    void aRemovedHandlerOrOneWithoutAMethodNameIsNotCallable() throws Exception {
        registry.removeMethod(handler("filter", "reset", payload -> MethodHandler.Result.ok("1")));
        handler("filter", null, payload -> MethodHandler.Result.ok("1"));
        handler("filter", " ", payload -> MethodHandler.Result.ok("1"));

        assertThat(answer(registry.invoke("filter", "reset", "null")).status()).isEqualTo(501);
        assertThat(answer(registry.invoke("filter", " ", "null")).status()).isEqualTo(501);
    }

    @Test
    void noAnswerOrNoPayloadIsA200OrTheStatusWithJsonNull() throws Exception {
        handler("filter", "none", payload -> null);
        handler("filter", "empty", payload -> new MethodHandler.Result(202, null));

        assertThat(answer(registry.invoke("filter", "none", "null"))).isEqualTo(new MethodHandler.Result(200, "null"));
        assertThat(answer(registry.invoke("filter", "empty", "null"))).isEqualTo(new MethodHandler.Result(202, "null"));
    }

    @Test
    void aHandlerThatThrowsIsAnswered400ForABadRequestAnd500ForAFailure() throws Exception {
        handler("filter", "bad", payload -> {
            throw new IllegalArgumentException("threshold is missing");
        });
        handler("filter", "io", payload -> {
            throw new IOException("disk full");
        });
        handler("filter", "bug", payload -> {
            throw new IllegalStateException("oops");
        });

        assertThat(answer(registry.invoke("filter", "bad", "null"))).isEqualTo(
                new MethodHandler.Result(400, "{\"message\":\"threshold is missing\"}"));
        assertThat(answer(registry.invoke("filter", "io", "null"))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"io failed: java.io.IOException: disk full\"}"));
        assertThat(answer(registry.invoke("filter", "bug", "null"))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"bug failed: java.lang.IllegalStateException: oops\"}"));
    }

    @Test
    void anAnswerThatIsNotJsonOrOver128KbIsAnswered500() throws Exception {
        handler("filter", "text", payload -> MethodHandler.Result.ok("not json"));
        handler("filter", "big", payload -> MethodHandler.Result.ok("\"" + "x".repeat(128 * 1024) + "\""));

        MethodHandler.Result text = answer(registry.invoke("filter", "text", "null"));
        assertThat(text.status()).isEqualTo(500);
        assertThat(text.payloadJson()).startsWith("{\"message\":\"text answered something that is not JSON: ");
        assertThat(answer(registry.invoke("filter", "big", "null"))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"big answered more than 128 KB\"}"));
    }

    @Test
    void whenAllMethodThreadsAreBusyACallIsAnswered503AtOnce() throws Exception {
        registry.close();
        registry = new MethodRegistry(services, 1);
        CountDownLatch release = new CountDownLatch(1);
        handler("filter", "slow", payload -> {
            release.await();
            return MethodHandler.Result.ok("1");
        });
        CompletionStage<MethodHandler.Result> first = registry.invoke("filter", "slow", "null");

        assertThat(answer(registry.invoke("filter", "slow", "null"))).isEqualTo(new MethodHandler.Result(503,
                "{\"message\":\"1 direct methods are running on this gateway already; try again\"}"));
        release.countDown();
        assertThat(answer(first)).isEqualTo(new MethodHandler.Result(200, "1"));
    }
}
