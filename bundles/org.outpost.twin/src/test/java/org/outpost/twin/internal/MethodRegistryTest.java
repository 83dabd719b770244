/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.MethodHandler;
import org.outpost.twin.api.ModuleMethodEndpoint;

class MethodRegistryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<ServiceReference<?>, MethodHandler> registered = new HashMap<>();
    private final Map<ServiceReference<?>, ModuleMethodEndpoint> registeredEndpoints = new HashMap<>();
    private final ModuleServices services = new ModuleServices(Fakes.fake(BundleContext.class,
            Map.of("getServiceObjects", args -> {
                Object s = registered.containsKey(args[0]) ? registered.get(args[0])
                        : registeredEndpoints.get(args[0]);
                return s == null ? null : Fakes.objects(s, new int[2]);
            })));
    private MethodRegistry registry = new MethodRegistry(services, module -> !module.startsWith("box"));

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

    /** An endpoint serving the modules named, answering with {@code answers}. */
    private ServiceReference<ModuleMethodEndpoint> endpoint(Set<String> served, ModuleMethodEndpointAnswer answers) {
        ServiceReference<ModuleMethodEndpoint> ref = Fakes.reference("endpoint", Map.of());
        registeredEndpoints.put(ref, new ModuleMethodEndpoint() {
            @Override
            public boolean serves(String module) {
                return served.contains(module);
            }

            @Override
            public CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson,
                    Duration timeout) {
                return answers.answer(module, method, payloadJson, timeout);
            }
        });
        registry.addEndpoint(ref);
        return ref;
    }

    @FunctionalInterface
    private interface ModuleMethodEndpointAnswer {
        CompletionStage<MethodHandler.Result> answer(String module, String method, String payloadJson,
                Duration timeout);
    }

    private static MethodHandler.Result answer(CompletionStage<MethodHandler.Result> r) throws Exception {
        return r.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aMethodAnswersWithItsStatusAndPayloadOnAMethodThread() throws Exception {
        handler("filter", "reset", payload -> new MethodHandler.Result(201, "{\"was\":" + payload + ",\"on\":\""
                + Thread.currentThread().getName() + "\"}"));

        assertThat(answer(registry.invoke("filter", "reset", "{\"hard\":true}", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(201, "{\"was\":{\"hard\":true},\"on\":\"outpost-module-method\"}"));
    }

    @Test
    void aMethodTheModuleDoesNotHaveIsAnswered501() throws Exception {
        handler("filter", "reset", payload -> MethodHandler.Result.ok("1"));

        assertThat(answer(registry.invoke("filter", "restart", "null", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(501, "{\"message\":\"module 'filter' has no method 'restart'\"}"));
        assertThat(answer(registry.invoke("sensor", "reset", "null", TIMEOUT)).status()).isEqualTo(501);
    }

    @Test
    void aRemovedHandlerOrOneWithoutAMethodNameIsNotCallable() throws Exception {
        registry.removeMethod(handler("filter", "reset", payload -> MethodHandler.Result.ok("1")));
        handler("filter", null, payload -> MethodHandler.Result.ok("1"));
        handler("filter", " ", payload -> MethodHandler.Result.ok("1"));

        assertThat(answer(registry.invoke("filter", "reset", "null", TIMEOUT)).status()).isEqualTo(501);
        assertThat(answer(registry.invoke("filter", " ", "null", TIMEOUT)).status()).isEqualTo(501);
    }

    @Test
    void noAnswerOrNoPayloadIsA200OrTheStatusWithJsonNull() throws Exception {
        handler("filter", "none", payload -> null);
        handler("filter", "empty", payload -> new MethodHandler.Result(202, null));

        assertThat(answer(registry.invoke("filter", "none", "null", TIMEOUT)))
                .isEqualTo(new MethodHandler.Result(200, "null"));
        assertThat(answer(registry.invoke("filter", "empty", "null", TIMEOUT)))
                .isEqualTo(new MethodHandler.Result(202, "null"));
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

        assertThat(answer(registry.invoke("filter", "bad", "null", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(400, "{\"message\":\"threshold is missing\"}"));
        assertThat(answer(registry.invoke("filter", "io", "null", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"io failed: java.io.IOException: disk full\"}"));
        assertThat(answer(registry.invoke("filter", "bug", "null", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"bug failed: java.lang.IllegalStateException: oops\"}"));
    }

    @Test
    void anAnswerThatIsNotJsonOrOver128KbIsAnswered500() throws Exception {
        handler("filter", "text", payload -> MethodHandler.Result.ok("not json"));
        handler("filter", "big", payload -> MethodHandler.Result.ok("\"" + "x".repeat(128 * 1024) + "\""));

        MethodHandler.Result text = answer(registry.invoke("filter", "text", "null", TIMEOUT));
        assertThat(text.status()).isEqualTo(500);
        assertThat(text.payloadJson()).startsWith("{\"message\":\"text answered something that is not JSON: ");
        assertThat(answer(registry.invoke("filter", "big", "null", TIMEOUT))).isEqualTo(
                new MethodHandler.Result(500, "{\"message\":\"big answered more than 128 KB\"}"));
    }

    @Test
    void whenAllMethodThreadsAreBusyACallIsAnswered503AtOnce() throws Exception {
        registry.close();
        registry = new MethodRegistry(services, module -> true, 1);
        CountDownLatch release = new CountDownLatch(1);
        handler("filter", "slow", payload -> {
            release.await();
            return MethodHandler.Result.ok("1");
        });
        CompletionStage<MethodHandler.Result> first = registry.invoke("filter", "slow", "null", TIMEOUT);

        assertThat(answer(registry.invoke("filter", "slow", "null", TIMEOUT))).isEqualTo(new MethodHandler.Result(503,
                "{\"message\":\"1 direct methods are running on this gateway already; try again\"}"));
        release.countDown();
        assertThat(answer(first)).isEqualTo(new MethodHandler.Result(200, "1"));
    }

    @Test
    void aModuleWithoutAHandlerIsCalledThroughTheEndpointThatServesItWithTheCallsTimeout() throws Exception {
        endpoint(Set.of("box-a"), (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                new MethodHandler.Result(200, "\"first\"")));
        endpoint(Set.of("box-b"), (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                new MethodHandler.Result(201, "{\"module\":\"" + module + "\",\"method\":\"" + method
                        + "\",\"payload\":" + payload + ",\"timeout\":" + timeout.toSeconds() + "}")));

        assertThat(answer(registry.invoke("box-b", "spin", "[1]", TIMEOUT))).isEqualTo(new MethodHandler.Result(201,
                "{\"module\":\"box-b\",\"method\":\"spin\",\"payload\":[1],\"timeout\":30}"));
        assertThat(answer(registry.invoke("box-a", "spin", "null", TIMEOUT)).payloadJson()).isEqualTo("\"first\"");
    }

    @Test
    void aModuleThatIsNotABundleAndNotConnectedIsAnswered404ABundleWithoutTheMethod501() throws Exception {
        endpoint(Set.of("box-a"), (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                MethodHandler.Result.ok("1")));

        assertThat(answer(registry.invoke("box-b", "spin", "null", TIMEOUT))).isEqualTo(new MethodHandler.Result(404,
                "{\"message\":\"module 'box-b' is not connected to the gateway (or has not subscribed to direct"
                        + " methods)\"}"));
        assertThat(answer(registry.invoke("filter", "spin", "null", TIMEOUT)).status()).isEqualTo(501);
    }

    @Test
    void aHandlerOfTheModuleComesBeforeAnEndpointAndARemovedEndpointIsNotAsked() throws Exception {
        handler("box-a", "spin", payload -> MethodHandler.Result.ok("\"handler\""));
        ServiceReference<ModuleMethodEndpoint> ref = endpoint(Set.of("box-a", "box-b"),
                (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                        MethodHandler.Result.ok("\"endpoint\"")));

        assertThat(answer(registry.invoke("box-a", "spin", "null", TIMEOUT)).payloadJson()).isEqualTo("\"handler\"");
        assertThat(answer(registry.invoke("box-b", "spin", "null", TIMEOUT)).payloadJson()).isEqualTo("\"endpoint\"");
        registry.removeEndpoint(ref);
        assertThat(answer(registry.invoke("box-b", "spin", "null", TIMEOUT)).status()).isEqualTo(404);
    }

    @Test
    void theEndpointsTimeoutAnswerPassesAndAnEndpointThatNeverAnswersIsAnswered504AfterAGrace() throws Exception {
        endpoint(Set.of("box-a"), (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                new MethodHandler.Result(504, "{\"message\":\"timed out\"}")));
        endpoint(Set.of("box-b"), (module, method, payload, timeout) -> new CompletableFuture<>());

        assertThat(answer(registry.invoke("box-a", "spin", "null", TIMEOUT)).status()).isEqualTo(504);
        assertThat(answer(registry.invoke("box-b", "spin", "null", Duration.ZERO))).isEqualTo(
                new MethodHandler.Result(504, "{\"message\":\"box-b did not answer spin within 0 s\"}"));
    }

    @Test
    void anEndpointThatFailsOrAnswersWhatIsNotJsonIsAnswered500() throws Exception {
        endpoint(Set.of("box-a"), (module, method, payload, timeout) -> CompletableFuture.failedFuture(
                new IllegalStateException("socket closed")));
        endpoint(Set.of("box-b"), (module, method, payload, timeout) -> CompletableFuture.completedFuture(
                MethodHandler.Result.ok("not json")));
        endpoint(Set.of("box-c"), (module, method, payload, timeout) -> {
            throw new IllegalStateException("endpoint stopping");
        });

        assertThat(answer(registry.invoke("box-a", "spin", "null", TIMEOUT))).isEqualTo(new MethodHandler.Result(500,
                "{\"message\":\"spin failed: java.lang.IllegalStateException: socket closed\"}"));
        assertThat(answer(registry.invoke("box-b", "spin", "null", TIMEOUT)).payloadJson())
                .startsWith("{\"message\":\"spin answered something that is not JSON: ");
        assertThat(answer(registry.invoke("box-c", "spin", "null", TIMEOUT))).isEqualTo(new MethodHandler.Result(500,
                "{\"message\":\"spin failed: java.lang.IllegalStateException: endpoint stopping\"}"));
    }
}
