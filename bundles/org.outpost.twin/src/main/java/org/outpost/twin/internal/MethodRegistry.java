/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.osgi.framework.ServiceReference;
import org.outpost.api.module.MethodHandler;
import org.outpost.commons.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules' direct methods: the {@link MethodHandler} whiteboard (each handler named by its {@value MethodHandler#NAME}
 * service property) and a bounded pool that runs them. A module whose handler hangs holds one thread; when all are
 * busy, a call is answered 503 at once.
 */
final class MethodRegistry {

    /** The largest direct-method answer, as IoT Hub. */
    static final int MAX_METHOD_PAYLOAD = 128 * 1024;
    /** How many direct methods run at once on the gateway. */
    static final int MAX_RUNNING = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MethodRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Registered(String module, String method, ServiceReference<MethodHandler> ref) {
    }

    private final ModuleServices services;
    private final int maxRunning;
    private final ConcurrentMap<ServiceReference<?>, Registered> methods = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor invoker;

    MethodRegistry(ModuleServices services) {
        this(services, MAX_RUNNING);
    }

    MethodRegistry(ModuleServices services, int maxRunning) {
        this.services = services;
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

    /**
     * Invokes a module's direct method.
     *
     * @return its answer: 501 if the module has no such method, 400/500 if the handler threw, 503 if too many are
     *         running
     */
    CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson) {
        ServiceReference<MethodHandler> handler = methods.values().stream().filter(r -> r.module().equals(module)
                && r.method().equals(method)).map(Registered::ref).findFirst().orElse(null);
        if (handler == null) {
            return CompletableFuture.completedFuture(new MethodHandler.Result(501, message("module '" + module
                    + "' has no method '" + method + "'")));
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
            String payload = r == null || r.payloadJson() == null ? "null" : r.payloadJson();
            JSON.readTree(payload);
            if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_METHOD_PAYLOAD) {
                return new MethodHandler.Result(500, message(method + " answered more than 128 KB"));
            }
            return new MethodHandler.Result(r == null ? 200 : r.status(), payload);
        } catch (JsonProcessingException e) {
            return new MethodHandler.Result(500, message(method + " answered something that is not JSON: "
                    + e.getOriginalMessage()));
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
