/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.broker.api.MessageHeaders;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;
import org.outpost.routing.internal.tool.MessageJson;
import org.outpost.routing.language.CompiledRoute;
import org.outpost.routing.language.Condition;
import org.outpost.routing.language.RouteMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router: one Camel route takes every stored module message from the ingress queue, in order, and sends it to the
 * queue of each endpoint its routes name (each endpoint once). The ingress message is acknowledged only after every
 * endpoint queue has stored its copy. Routes come from {@code etc/org.outpost.routing.cfg} ({@code route.<name>}
 * keys) and change at run time without a restart; a bad set is rejected whole and the running routes stay.
 */
@Component(service = {RoutesBuilder.class, Routing.class}, configurationPid = Router.PID)
@Designate(ocd = Router.Config.class)
public final class Router extends RouteBuilder implements Routing {

    @ObjectClassDefinition(name = "Outpost routing", description = "Routes between module outputs, module inputs and"
            + " the cloud in the IoT Edge route language: one 'route.<name>' key per route, e.g."
            + " route.upstream = FROM /messages/* WHERE $body.temp > 30 INTO $upstream.")
    public @interface Config {
    }

    static final String PID = "org.outpost.routing";
    static final String INGRESS = "outpost.routing.ingress";
    static final String ENDPOINTS_HEADER = "outpostEndpoints";
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The running routes and how many messages each took since they were applied. */
    private record Running(RouteTable table, Map<String, LongAdder> taken) {
        Running(RouteTable table) {
            this(table, table.routes().stream().collect(Collectors.toMap(CompiledRoute::name, r -> new LongAdder())));
        }
    }

    private volatile Running running = new Running(new RouteTable());
    private final AtomicLong noRoute = new AtomicLong();

    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public Router(@Reference ConfigurationAdmin configurationAdmin, Map<String, Object> properties) {
        this.configurationAdmin = configurationAdmin;
        apply(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private void apply(Map<String, Object> properties) {
        try {
            RouteTable next = RouteTable.fromProperties(properties);
            running = new Running(next);
            LOG.info("Routes: {}", next.routes().stream().map(r -> r.name() + ": " + r.text())
                    .collect(Collectors.joining("; ")));
        } catch (IllegalArgumentException e) {
            LOG.error("configuration org.outpost.routing rejected, the running routes stay: {}", e.getMessage());
        }
    }

    @Override
    public void configure() {
        from("sjms:queue:" + INGRESS + "?transacted=true")
                .routeId("outpost-router")
                .process(this::resolveEndpoints)
                .filter(header(ENDPOINTS_HEADER).isNotNull())
                .recipientList(header(ENDPOINTS_HEADER)).stopOnException();
    }

    private void resolveEndpoints(Exchange exchange) {
        org.apache.camel.Message in = exchange.getMessage();
        String module = in.getHeader(MessageHeaders.MODULE, String.class);
        String output = in.getHeader(MessageHeaders.OUTPUT, String.class);
        Map<String, RouteTable.Delivery> sinks = Map.of();
        if (module != null && output != null) {
            byte[] body = in.getBody(byte[].class);
            Message message = MessageHeaders.toMessage(body == null ? new byte[0] : body, in::getHeader);
            Running r = running;
            sinks = r.table().endpointsFor(RouteMessage.of(RouteTable.sourceOf(module, output), message),
                    route -> r.taken().get(route.name()).increment());
        }
        if (sinks.isEmpty()) {
            long n = noRoute.incrementAndGet();
            LOG.debug("No route takes messages from {}/{} ({} so far)", module, output, n);
            in.removeHeader(ENDPOINTS_HEADER);
            return;
        }
        // Priority and time to live are set per endpoint; the TTL counts from now, when the message is stored there.
        in.setHeader(ENDPOINTS_HEADER, sinks.entrySet().stream().map(e -> "sjms:queue:" + e.getKey()
                + "?explicitQosEnabled=true&priority=" + e.getValue().jmsPriority() + "&timeToLive="
                + e.getValue().timeToLiveMs()).collect(Collectors.toList()));
    }

    @Override
    public List<RouteStatus> routes() {
        Running r = running;
        return r.table().routes().stream().map(route -> new RouteStatus(route.name(), route.text(), route.source(),
                route.condition().map(Condition::text).orElse(""), route.sink().toString(),
                r.table().priorities().getOrDefault(route.name(), -1), r.table().timeToLiveMs(route.name()) / 1000,
                r.taken().get(route.name()).sum())).toList();
    }

    @Override
    public long noRoute() {
        return noRoute.get();
    }

    @Override
    public List<RouteExplanation> explain(String messageJson) {
        RouteMessage message;
        try {
            message = MessageJson.parse(JSON.readTree(messageJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the message is not JSON: " + e.getOriginalMessage());
        }
        List<RouteExplanation> out = new ArrayList<>();
        for (CompiledRoute route : running.table().routes()) {
            CompiledRoute.Decision d = route.decide(message);
            String reason = switch (d.outcome()) {
                case TAKEN -> "taken";
                case SOURCE_MISMATCH -> "source " + route.source() + " does not match " + message.source();
                case CONDITION_FALSE -> "condition is false";
                case CONDITION_UNDEFINED -> "condition is undefined: " + (d.detail() == null ? "an operand"
                        : d.detail()) + " has no value";
            };
            out.add(new RouteExplanation(route.name(), d.taken(), reason));
        }
        return out;
    }

    @Override
    public void setRoutes(String edgeHubJson) throws IOException {
        Map<String, String> properties;
        try {
            properties = EdgeHubRoutes.toProperties(JSON.readTree(edgeHubJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the routes are not JSON: " + e.getOriginalMessage());
        }
        RouteTable.fromProperties(properties);
        // Valid: store it as the routing configuration (etc/org.outpost.routing.cfg), which applies it.
        configurationAdmin.getConfiguration(PID, null).update(new Hashtable<>(properties));
    }
}
