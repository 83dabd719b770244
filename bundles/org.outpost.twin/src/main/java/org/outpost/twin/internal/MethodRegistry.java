/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.MethodHandler;
import org.outpost.commons.DaemonThreads;
import org.outpost.twin.api.ModuleMethodEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules' direct methods: the {@link MethodHandler} whiteboard (each handler named by its {@value MethodHandler#NAME}
 * service property) and a bounded pool that runs them. A module whose handler hangs holds one thread; when all are
 * busy, a call is answered 503 at once. A module with no handler by that name (a process or container module, which
 * connects over the gateway's IoT Hub endpoint) is called through the first {@link ModuleMethodEndpoint} service that
 * {@link ModuleMethodEndpoint#serves serves} it; it holds no thread of the pool while it runs.
 */
final class MethodRegistry {

    /** The largest direct-method answer, as IoT Hub. */
    static final int MAX_METHOD_PAYLOAD = 128 * 1024;
    /** How many direct methods run at once on the gateway. */
    static final int MAX_RUNNING = 16;
    /** How much longer than the call's timeout an endpoint may take to answer 504 itself before it is answered so. */
    static final Duration ENDPOINT_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(MethodRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Registered(String module, String method, ServiceReference<MethodHandler> ref) {
    }

    private final ModuleServices services;
    private final Predicate<String> bundleModule;
    private final int maxRunning;
    private final ConcurrentMap<ServiceReference<?>, Registered> methods = new ConcurrentHashMap<>();
    /** The method endpoints, in the order they came. */
    private final List<ServiceReference<ModuleMethodEndpoint>> endpoints = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor invoker;

    /**
     * @param bundleModule whether a module id is a bundle's (which has methods only as {@link MethodHandler}s), or a
     *            module connecting over the IoT Hub endpoint
     */
    MethodRegistry(ModuleServices services, Predicate<String> bundleModule) {
        this(services, bundleModule, MAX_RUNNING);
    }

    MethodRegistry(ModuleServices services, Predicate<String> bundleModule, int maxRunning) {
        this.services = services;
        this.bundleModule = bundleModule;
        this.maxRunning = maxRunning;
        this.invoker = new ThreadPoolExecutor(0, maxRunning, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                DaemonThreads.named("outpost-module-method"));
    }

    /** Stops the running methods (interrupting them). */
    void close() {
        invoker.shutdownNow();
    }

    /** Adds a module's handler; ignored (and logged) without a module id or a method name. */
    void addMethod(ServiceReference<MethodHandler> ref) {
        String module = ModuleServices.moduleOf(ref);
        Object name = ref.getProperty(MethodHandler.NAME);
        if (module == null) {
            return;
        }
        if (!(name instanceof String n) || n.isBlank()) {
            LOG.error("Module {}: a MethodHandler without the service property {} is not callable; set it to the"
                    + " method name", module, MethodHandler.NAME);
            return;
        }
        methods.put(ref, new Registered(module, n, ref));
    }

    void removeMethod(ServiceReference<MethodHandler> ref) {
        methods.remove(ref);
    }

    void addEndpoint(ServiceReference<ModuleMethodEndpoint> ref) {
        endpoints.add(ref);
    }

    void removeEndpoint(ServiceReference<ModuleMethodEndpoint> ref) {
        endpoints.remove(ref);
    }

    /**
     * Invokes a module's direct method: its handler, else through the endpoint that serves the module.
     *
     * @param timeout how long a module called through an endpoint may take (a handler is not timed out here: the
     *            hub answers its caller 504 after the call's timeout)
     * @return its answer: 501 if a bundle module has no such method, 404 if a module that is not a bundle is not
     *         connected (or takes no methods), 504 if it did not answer within the timeout, 400/500 if the handler
     *         threw, 503 if too many are running
     */
    CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson, Duration timeout) {
        ServiceReference<MethodHandler> handler = methods.values().stream().filter(r -> r.module().equals(module)
                && r.method().equals(method)).map(Registered::ref).findFirst().orElse(null);
        if (handler == null) {
            return throughEndpoint(module, method, payloadJson, timeout);
        }
        CompletableFuture<MethodHandler.Result> answer = new CompletableFuture<>();
        try {
            invoker.execute(() -> answer.complete(run(handler, module, method, payloadJson)));
        } catch (RejectedExecutionException e) {
            answer.complete(new MethodHandler.Result(503, message(maxRunning + " direct methods are running on this"
                    + " gateway already; try again")));
        }
        return answer;
    }

    private CompletionStage<MethodHandler.Result> throughEndpoint(String module, String method, String payloadJson,
            Duration timeout) {
        for (ServiceReference<ModuleMethodEndpoint> ref : endpoints) {
            CompletionStage<MethodHandler.Result> call;
            try {
                call = services.call(ref, e -> e.serves(module) ? invokeSafely(e, module, method, payloadJson,
                        timeout) : null);
            } catch (RuntimeException e) {
                LOG.warn("Module {}: a method endpoint failed to say whether it serves it: {}", module, e.toString(),
                        e);
                continue;
            }
            if (call != null) {
                CompletableFuture<MethodHandler.Result> answer = new CompletableFuture<>();
                call.whenComplete((r, e) -> answer.complete(e != null
                        ? new MethodHandler.Result(500, message(method + " failed: " + e))
                        : r == null ? new MethodHandler.Result(500, message(method + " was not answered"))
                        : checked(method, r)));
                return answer.completeOnTimeout(new MethodHandler.Result(504, message(module + " did not answer "
                        + method + " within " + timeout.toSeconds() + " s")), timeout.plus(ENDPOINT_GRACE).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        return CompletableFuture.completedFuture(bundleModule.test(module)
                ? new MethodHandler.Result(501, message("module '" + module + "' has no method '" + method + "'"))
                : new MethodHandler.Result(404, message("module '" + module + "' is not connected to the gateway (or"
                        + " has not subscribed to direct methods)")));
    }

    /** @return the endpoint's call; failed with what it threw */
    private static CompletionStage<MethodHandler.Result> invokeSafely(ModuleMethodEndpoint endpoint, String module,
            String method, String payloadJson, Duration timeout) {
        try {
            return endpoint.invoke(module, method, payloadJson, timeout);
        } catch (RuntimeException e) {
            LOG.warn("Module {}: the method endpoint failed to call {}: {}", module, method, e.toString(), e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private MethodHandler.Result run(ServiceReference<MethodHandler> handler, String module, String method,
            String payloadJson) {
        try {
            MethodHandler.Result r = services.call(handler, h -> {
                try {
                    return h.invoke(payloadJson);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new MethodFailed(e);
                }
            });
            return checked(method, r == null ? new MethodHandler.Result(200, null) : r);
        } catch (IllegalArgumentException e) {
            return new MethodHandler.Result(400, message(e.getMessage()));
        } catch (MethodFailed e) {
            LOG.warn("Module {}: method {} failed: {}", module, method, e.getCause().toString(), e.getCause());
            return new MethodHandler.Result(500, message(method + " failed: " + e.getCause()));
        } catch (RuntimeException e) {
            LOG.warn("Module {}: method {} failed: {}", module, method, e.toString(), e);
            return new MethodHandler.Result(500, message(method + " failed: " + e));
        }
    }

    /** @return the answer with JSON null for no payload; 500 if its payload is not JSON or over 128 KB */
    private static MethodHandler.Result checked(String method, MethodHandler.Result r) {
        String payload = r.payloadJson() == null ? "null" : r.payloadJson();
        try {
            JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return new MethodHandler.Result(500, message(method + " answered something that is not JSON: "
                    + e.getOriginalMessage()));
        }
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_METHOD_PAYLOAD) {
            return new MethodHandler.Result(500, message(method + " answered more than 128 KB"));
        }
        return new MethodHandler.Result(r.status(), payload);
    }

    /** A checked exception of a method handler, carried out of the call. */
    private static final class MethodFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodFailed(Exception cause) {
            super(cause);
        }
    }

    private static String message(String text) {
        return JSON.createObjectNode().put("message", text).toString();
    }
}
