/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.framework.ServiceReference;
import org.outpost.api.message.Message;
import org.outpost.api.module.DesiredPropertiesListener;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells others what changed in the module twins: modules' {@link DesiredPropertiesListener}s (a whiteboard) of
 * desired changes, and the cloud side and the router (as {@code /twinChangeNotifications} messages) of reported
 * changes. Listeners and the router are told one at a time, in order, on one thread of their own, away from the
 * cloud connection's thread and from the module reporting.
 */
final class TwinNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(TwinNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Registered(String module, ServiceReference<DesiredPropertiesListener> ref) {
    }

    private final ModuleServices services;
    private final Routing routing;
    private final EdgeRuntime runtime;
    private final ConcurrentMap<ServiceReference<?>, Registered> listeners = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            DaemonThreads.named("outpost-twin-listeners"));
    private volatile Consumer<String> reportedChanged = module -> { };

    TwinNotifier(ModuleServices services, Routing routing, EdgeRuntime runtime) {
        this.services = services;
        this.routing = routing;
        this.runtime = runtime;
    }

    /** @return how module services are called (shared with the method registry) */
    ModuleServices services() {
        return services;
    }

    /** Stops telling; what is queued is dropped. */
    void close() {
        thread.shutdownNow();
    }

    /** Adds a module's listener; ignored (and logged) if its bundle declares no module id. */
    void addListener(ServiceReference<DesiredPropertiesListener> ref) {
        String module = ModuleServices.moduleOf(ref);
        if (module != null) {
            listeners.put(ref, new Registered(module, ref));
        }
    }

    void removeListener(ServiceReference<DesiredPropertiesListener> ref) {
        listeners.remove(ref);
    }

    /** @param listener told the module id whenever a module's reported properties change; null for none */
    void onReportedChange(Consumer<String> listener) {
        this.reportedChanged = listener == null ? module -> { } : listener;
    }

    /**
     * Tells the module's listeners (those registered now) of a change of its desired properties. A listener that
     * fails is logged; the others are told all the same.
     *
     * @throws RejectedExecutionException if the notifier is closed
     */
    void desiredChanged(String module, String patchJson, long version) {
        List<ServiceReference<DesiredPropertiesListener>> told = listeners.values().stream()
                .filter(r -> r.module().equals(module)).map(Registered::ref).toList();
        thread.execute(() -> told.forEach(l -> {
            try {
                services.call(l, listener -> {
                    listener.desiredChanged(patchJson, version);
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("Module {}: its desired-properties listener failed on version {}: {}", module, version,
                        e.toString(), e);
            }
        }));
    }

    /**
     * Tells the cloud side at once, and routes a {@code /twinChangeNotifications} message on the notifier thread: a
     * module reporting while the gateway starts must not wait for the router.
     */
    void reportedChanged(String module, String patchJson, long version) {
        reportedChanged.accept(module);
        try {
            thread.execute(() -> {
                try {
                    ObjectNode body = JSON.createObjectNode().put("version", version);
                    body.putObject("properties").set("reported", JSON.readTree(patchJson));
                    routing.route(Message.builder().json(body.toString()).connectionModuleId(module)
                            .connectionDeviceId(runtime.deviceId()).outputName(Routing.TWIN_CHANGE_NOTIFICATIONS)
                            .build()).whenComplete((ok, e) -> {
                                if (e != null) {
                                    LOG.warn("Twin change of {} not routed: {}", module, e.getMessage());
                                }
                            });
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Twin change of {} not routed: {}", module, e.toString());
                }
            });
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Twin change of {} not routed: the twins are stopping", module);
        }
    }
}
