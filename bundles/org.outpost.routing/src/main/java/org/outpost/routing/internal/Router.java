/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.AsyncProcessorSupport;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.SendException;
import org.outpost.broker.api.Broker;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;

/**
 * The router, Outpost's edgeHub. A module's message is routed in the module's own thread ({@link #route}; Camel
 * routes may send to {@value #INGRESS}, which does the same): the running routes choose its endpoints (each once, with the best priority of the routes that take it
 * there), the endpoints' size bounds are checked, and a copy is stored durably in each endpoint's queue. The module's
 * send completes when every copy is in the journal; messages in flight share disk syncs, so a module that sends
 * asynchronously is not bound by the disk's sync rate. Endpoint queues are drained by their consumers (module inputs,
 * the upstream).
 * <p>
 * Routes come from {@code etc/org.outpost.routing.cfg} ({@code route.<name>} keys), which {@code etc/edgehub.json}
 * (watched) and {@code edge:routes-set} write; they change at run time without a restart, and a bad set is rejected
 * whole while the running routes stay. This component is the Camel route and the service; the parts do the work:
 * {@link RouteSets} keeps the running route set, {@link Admission} decides which endpoints take a message,
 * {@link EndpointWriter} stores the copies and {@link RoutingStatus} shows it all.
 */
@Component(service = {RoutesBuilder.class, Routing.class}, configurationPid = Router.PID)
@Designate(ocd = Router.Config.class)
public final class Router extends RouteBuilder implements Routing {

    @ObjectClassDefinition(name = "Outpost routing", description = "Routes between module outputs, module inputs and"
            + " the cloud in the IoT Edge route language: one 'route.<name>' key per route, e.g."
            + " route.upstream = FROM /messages/* WHERE $body.temp > 30 INTO $upstream.")
    public @interface Config {
        @AttributeDefinition(description = "Lanes that store routed messages (each a lane of the broker's direct"
                + " store, and a broker session for bodies over 256 KB); one sender always uses the same one, so its"
                + " messages keep their order.")
        int store_sessions() default 4;

        @AttributeDefinition(description = "The routes file in ${karaf.etc}: an IoT Edge $edgeHub section, applied"
                + " when it changes; empty for none.")
        String routes_file() default "edgehub.json";
    }

    static final String PID = "org.outpost.routing";
    static final String INGRESS = "direct:outpost-router";
    private static final String DELIVERIES = "outpost.deliveries";

    private final EndpointWriter writer;
    private final RouteSets routeSets;
    private final Admission admission;
    private final RoutingStatus status;
    private final List<AutoCloseable> measured = new ArrayList<>();

    @Activate
    public Router(@Reference ConfigurationAdmin configurationAdmin, @Reference Broker broker,
            @Reference Metrics metrics, Config config, Map<String, Object> properties) throws Exception {
        this.writer = new EndpointWriter(broker, config.store_sessions());
        this.admission = new Admission(broker, metrics);
        String etc = System.getProperty("karaf.etc", "etc");
        this.routeSets = new RouteSets(PID, RouteSets.Settings.of(configurationAdmin, PID), properties,
                config.routes_file().isBlank() ? null : Path.of(etc).resolve(config.routes_file()));
        this.status = new RoutingStatus(broker, routeSets::running, admission);
        measured.add(metrics.measured("edgehub_queue_length", "gauge", status::queueLengths));
        measured.add(metrics.measured("edgehub_messages_dropped_total", "counter", status::expiredCounts));
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        routeSets.configurationChanged(properties);
    }

    @Deactivate
    void deactivate() throws Exception {
        for (AutoCloseable m : measured) {
            m.close();
        }
        admission.close();
        routeSets.close();
        writer.close();
    }

    @Override
    public void configure() {
        // A message that cannot be stored fails its sender's send; there is nothing to retry here.
        errorHandler(noErrorHandler());
        from(INGRESS)
                .routeId("outpost-router")
                .process(this::chooseEndpoints)
                .process(new StoreProcessor());
    }

    @Override
    public CompletionStage<Void> deliver(String module, String input, Message message) {
        org.outpost.api.module.ModuleNames.require("module", module);
        org.outpost.api.module.ModuleNames.require("input", input);
        String queue = "outpost.modules." + module + ".inputs." + input;
        CompletableFuture<Void> result = new CompletableFuture<>();
        RouteTable table = routeSets.running().table();
        writer.write("$cloudToDevice", message, Map.of(queue, new RouteTable.Delivery(RouteTable.jmsPriority(null),
                table.defaultTimeToLiveSecs() * 1000)), error -> {
                    if (error == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(new SendException("the gateway broker did not store the message"
                                + " for " + module + "/" + input + ": " + error.getMessage(), error));
                    }
                });
        return result;
    }

    /**
     * Routes in the caller's thread, without Camel: the endpoints are chosen and the copies handed to the broker here,
     * and the returned stage completes in the broker's thread when they are stored. (Through the Camel route the same
     * happened in the same thread, at the cost of an exchange and its processors per message: about a tenth of the
     * gateway's CPU at 1,000 msg/s.)
     */
    @Override
    public CompletionStage<Void> route(Message message) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Map<String, RouteTable.Delivery> deliveries;
        try {
            deliveries = admission.admit(routeSets.running(), message);
        } catch (SendException e) {
            result.completeExceptionally(e);
            return result;
        } catch (RuntimeException e) {
            result.completeExceptionally(new SendException("the message was not stored: " + e.getMessage(), e));
            return result;
        }
        if (deliveries.isEmpty()) {
            result.complete(null);
            return result;
        }
        store(message, deliveries, result);
        return result;
    }

    private void store(Message message, Map<String, RouteTable.Delivery> deliveries, CompletableFuture<Void> result) {
        writer.write(RouteTable.sender(message), message, deliveries, error -> {
            if (error == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(new SendException("the gateway broker did not store the message from "
                        + RouteTable.sender(message) + "/" + message.outputName() + ": " + error.getMessage(), error));
            }
        });
    }

    /** Chooses the endpoints of the message in the exchange and checks that they have room for it. */
    private void chooseEndpoints(Exchange exchange) throws SendException {
        Message message = exchange.getMessage().getBody(Message.class);
        exchange.setProperty(DELIVERIES, admission.admit(routeSets.running(), message));
    }

    /** Stores the copies chosen by {@link #chooseEndpoints}; completes when the broker has them all. */
    private final class StoreProcessor extends AsyncProcessorSupport {
        @Override
        @SuppressWarnings("unchecked")
        public boolean process(Exchange exchange, AsyncCallback callback) {
            Map<String, RouteTable.Delivery> deliveries = exchange.getProperty(DELIVERIES, Map.class);
            if (deliveries == null || deliveries.isEmpty()) {
                callback.done(true);
                return true;
            }
            Message message = exchange.getMessage().getBody(Message.class);
            writer.write(RouteTable.sender(message), message, deliveries, error -> {
                if (error != null) {
                    exchange.setException(new SendException("the gateway broker did not store the message from "
                            + RouteTable.sender(message) + "/" + message.outputName() + ": " + error.getMessage(),
                            error));
                }
                callback.done(false);
            });
            return false;
        }
    }

    @Override
    public List<EndpointStatus> endpoints() {
        return status.endpoints();
    }

    @Override
    public List<RouteStatus> routes() {
        return status.routes();
    }

    @Override
    public long noRoute() {
        return admission.noRoute();
    }

    @Override
    public long noRouteTwinChanges() {
        return admission.noRouteTwinChanges();
    }

    @Override
    public List<RouteExplanation> explain(String messageJson) {
        return status.explain(messageJson);
    }

    @Override
    public void setRoutes(String edgeHubJson) throws IOException {
        routeSets.setRoutes(edgeHubJson);
    }

    @Override
    public void setCloudRoutes(String edgeHubJson, long version) throws IOException {
        routeSets.setCloudRoutes(edgeHubJson, version);
    }

    @Override
    public String routesOrigin() {
        return routeSets.origin();
    }

    @Override
    public void checkRoutes(String edgeHubJson) {
        RouteSets.checkRoutes(edgeHubJson);
        routeSets.checkLocalChange();
    }

    @Override
    public Optional<String> lastRejection() {
        return routeSets.lastRejection();
    }
}
