/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.AsyncProcessorSupport;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.WatchedFile;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.SendException;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;
import org.outpost.routelanguage.MessageJson;
import org.outpost.routelanguage.CompiledRoute;
import org.outpost.routelanguage.Condition;
import org.outpost.routelanguage.RouteMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router, Outpost's edgeHub. A module's message enters the Camel route {@value #INGRESS} in the module's own
 * thread: the running routes choose its endpoints (each once, with the best priority of the routes that take it
 * there), the endpoints' size bounds are checked, and a copy is stored durably in each endpoint's queue. The module's
 * send completes when every copy is in the journal; messages in flight share disk syncs, so a module that sends
 * asynchronously is not bound by the disk's sync rate. Endpoint queues are drained by their consumers (module inputs,
 * the upstream).
 * <p>
 * Routes come from {@code etc/org.outpost.routing.cfg} ({@code route.<name>} keys), which {@code etc/edgehub.json}
 * (watched) and {@code edge:routes-set} write; they change at run time without a restart, and a bad set is rejected
 * whole while the running routes stay.
 */
@Component(service = {RoutesBuilder.class, Routing.class}, configurationPid = Router.PID)
@Designate(ocd = Router.Config.class)
public final class Router extends RouteBuilder implements Routing {

    @ObjectClassDefinition(name = "Outpost routing", description = "Routes between module outputs, module inputs and"
            + " the cloud in the IoT Edge route language: one 'route.<name>' key per route, e.g."
            + " route.upstream = FROM /messages/* WHERE $body.temp > 30 INTO $upstream.")
    public @interface Config {
        @AttributeDefinition(description = "Broker sessions that store routed messages; one sender always uses the"
                + " same one, so its messages keep their order.")
        int store_sessions() default 4;

        @AttributeDefinition(description = "The routes file in ${karaf.etc}: an IoT Edge $edgeHub section, applied"
                + " when it changes; empty for none.")
        String routes_file() default "edgehub.json";
    }

    static final String PID = "org.outpost.routing";
    static final String INGRESS = "direct:outpost-router";
    private static final String DELIVERIES = "outpost.deliveries";
    private static final long STARTUP_WAIT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The running routes and how many messages each took since they were applied. */
    private record Running(RouteTable table, Map<String, LongAdder> taken) {
        Running(RouteTable table) {
            this(table, table.routes().stream().collect(Collectors.toMap(CompiledRoute::name, r -> new LongAdder())));
        }
    }

    /** Counters of one endpoint since the gateway started. */
    private static final class EndpointCounters {
        final LongAdder rejected = new LongAdder();
        final LongAdder droppedFull = new LongAdder();
    }

    private volatile Running running = new Running(new RouteTable());
    /** Guards changes of the running routes, which come from setRoutes, the routes file and the configuration. */
    private final Object routesLock = new Object();
    /** The settings {@link #running} was built from. */
    private Map<String, String> runningSettings;
    private final AtomicLong noRoute = new AtomicLong();
    private final ConcurrentMap<String, EndpointCounters> endpointCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Metrics.Counter> receivedBy = new ConcurrentHashMap<>();
    private final Set<String> trimming = ConcurrentHashMap.newKeySet();
    private final ExecutorService trimmer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outpost-endpoint-trim");
        t.setDaemon(true);
        return t;
    });

    private final ConfigurationAdmin configurationAdmin;
    private final Broker broker;
    private final Metrics metrics;
    private final EndpointWriter writer;
    private final List<AutoCloseable> measured = new ArrayList<>();
    private final CountDownLatch configured = new CountDownLatch(1);
    private volatile AsyncProducer ingress;
    private final WatchedFile routesFile;
    private volatile String lastRejection;

    @Activate
    public Router(@Reference ConfigurationAdmin configurationAdmin, @Reference Broker broker,
            @Reference Metrics metrics, Config config, Map<String, Object> properties) throws Exception {
        this.configurationAdmin = configurationAdmin;
        this.broker = broker;
        this.metrics = metrics;
        this.writer = new EndpointWriter(broker, config.store_sessions());
        apply(properties);
        String etc = System.getProperty("karaf.etc", "etc");
        this.routesFile = config.routes_file().isBlank() ? null
                : new WatchedFile(Path.of(etc).resolve(config.routes_file()), this::routesFileChanged);
        if (routesFile != null && Files.exists(routesFile.path())) {
            // The file is where operators keep the routes: at start it wins over what the configuration last held.
            routesFileChanged(Files.readString(routesFile.path()));
        }
        measured.add(metrics.measured("queue_length", "gauge", this::queueLengths));
        measured.add(metrics.measured("messages_dropped_total", "counter", this::expiredCounts));
    }

    @Modified
    void modified(Map<String, Object> properties) throws IOException {
        // Configuration events arrive asynchronously, possibly after setRoutes has applied a newer set itself: apply
        // what the configuration holds now, not what it held when this event was sent.
        Dictionary<String, Object> latest = configurationAdmin.getConfiguration(PID, null).getProperties();
        apply(latest == null ? properties : toMap(latest));
    }

    @Deactivate
    void deactivate() throws Exception {
        for (AutoCloseable m : measured) {
            m.close();
        }
        AsyncProducer p = ingress;
        if (p != null) {
            p.stop();
        }
        trimmer.shutdownNow();
        if (routesFile != null) {
            routesFile.close();
        }
        writer.close();
    }

    private void apply(Map<String, Object> properties) {
        try {
            Map<String, String> settings = settings(properties);
            run(settings, RouteTable.fromProperties(settings), "configuration " + PID);
        } catch (IllegalArgumentException e) {
            rejected("configuration " + PID + " rejected, the running routes stay: " + e.getMessage());
        }
    }

    /** Makes a valid route set the running one (keeping the counters when it is the one running already). */
    private void run(Map<String, String> settings, RouteTable table, String source) {
        synchronized (routesLock) {
            if (settings.equals(runningSettings)) {
                return;
            }
            running = new Running(table);
            runningSettings = settings;
        }
        LOG.info("Routes from {}: {}", source, table.routes().stream().map(r -> r.name() + ": " + r.text())
                .collect(Collectors.joining("; ")));
    }

    /** The routing settings among configuration properties, as text (without the framework's own keys). */
    private static Map<String, String> settings(Map<String, ?> properties) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("felix.") && !k.startsWith("component.")) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> out = new HashMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
    }

    @Override
    public void configure() {
        // A message that cannot be stored fails its sender's send; there is nothing to retry here.
        errorHandler(noErrorHandler());
        from(INGRESS)
                .routeId("outpost-router")
                .process(this::chooseEndpoints)
                .process(new StoreProcessor());
        configured.countDown();
    }

    @Override
    public CompletionStage<Void> deliver(String module, String input, Message message) {
        org.outpost.api.module.ModuleNames.require("module", module);
        org.outpost.api.module.ModuleNames.require("input", input);
        String queue = "outpost.modules." + module + ".inputs." + input;
        CompletableFuture<Void> result = new CompletableFuture<>();
        RouteTable table = running.table();
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

    @Override
    public CompletionStage<Void> route(Message message) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        AsyncProducer p;
        try {
            p = ingress();
        } catch (Exception e) {
            result.completeExceptionally(new SendException("the router is not running (" + e.getMessage()
                    + "); the message was not stored, retry later", e));
            return result;
        }
        Exchange exchange = p.getEndpoint().createExchange();
        exchange.getMessage().setBody(message);
        p.process(exchange, doneSync -> {
            Exception e = exchange.getException();
            if (e == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(e instanceof SendException ? e
                        : new SendException("the message was not stored: " + e.getMessage(), e));
            }
        });
        return result;
    }

    /** The producer into the router's Camel route, made once the route is configured into a context. */
    private AsyncProducer ingress() throws Exception {
        AsyncProducer p = ingress;
        if (p != null) {
            return p;
        }
        if (!configured.await(STARTUP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Camel did not take the router's route within " + STARTUP_WAIT_SECONDS
                    + " s; see edge:list for org.outpost.camel");
        }
        synchronized (this) {
            if (ingress == null) {
                AsyncProducer created = getCamelContext().getEndpoint(INGRESS).createAsyncProducer();
                created.start();
                ingress = created;
            }
            return ingress;
        }
    }

    /** Chooses the endpoints of the message in the exchange and checks that they have room for it. */
    private void chooseEndpoints(Exchange exchange) throws SendException {
        Message message = exchange.getMessage().getBody(Message.class);
        String module = message.connectionModuleId();
        String output = message.outputName();
        receivedBy.computeIfAbsent(module, m -> metrics.counter("messages_received_total", "from", m)).increment();
        Running r = running;
        Map<String, RouteTable.Delivery> deliveries = r.table().endpointsFor(
                RouteMessage.of(RouteTable.sourceOf(module, output), message),
                route -> r.taken().get(route.name()).increment());
        if (deliveries.isEmpty()) {
            long n = noRoute.incrementAndGet();
            metrics.counter("messages_dropped_total", "reason", "no_route", "from", module).increment();
            LOG.debug("No route takes messages from {}/{} ({} so far)", module, output, n);
        } else {
            admit(r.table(), module, message, deliveries.keySet());
        }
        exchange.setProperty(DELIVERIES, deliveries);
    }

    /**
     * Applies the endpoints' size bound: under {@code reject} a message for a full endpoint is refused whole (no
     * endpoint gets a copy); under {@code drop-oldest} it is stored and the endpoint's oldest messages make room.
     */
    private void admit(RouteTable table, String module, Message message, Set<String> queues) throws SendException {
        long size = message.body().length;
        for (String queue : queues) {
            long bytes = broker.queueBytes(queue);
            if (bytes + size <= table.maxBytesPerEndpoint()) {
                continue;
            }
            EndpointCounters c = counters(queue);
            if (table.whenFull() == RouteTable.WhenFull.REJECT) {
                c.rejected.increment();
                metrics.counter("messages_rejected_total", "from", module, "to", endpointName(queue)).increment();
                throw new SendException("endpoint " + endpointName(queue) + " is full: it holds " + bytes
                        + " bytes and its bound is " + table.maxBytesPerEndpoint() + " (storeAndForward"
                        + ".maxBytesPerEndpoint); the message was not stored. It has room again when its consumer"
                        + " catches up (for $upstream: when the cloud is reachable); or raise the bound, or set"
                        + " storeAndForward.whenFull=drop-oldest");
            }
            long target = bytes + size - table.maxBytesPerEndpoint() * 9 / 10;
            if (trimming.add(queue)) {
                trimmer.execute(() -> {
                    try {
                        long dropped = broker.dropOldest(queue, target);
                        c.droppedFull.add(dropped);
                        metrics.counter("messages_dropped_total", "reason", "endpoint_full", "to",
                                endpointName(queue)).add(dropped);
                        LOG.warn("Endpoint {} is full: dropped its {} oldest messages of the lowest priority",
                                endpointName(queue), dropped);
                    } finally {
                        trimming.remove(queue);
                    }
                });
            }
        }
    }

    private EndpointCounters counters(String queue) {
        return endpointCounters.computeIfAbsent(queue, q -> new EndpointCounters());
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
            writer.write(message.connectionModuleId(), message, deliveries, error -> {
                if (error != null) {
                    exchange.setException(new SendException("the gateway broker did not store the message from "
                            + message.connectionModuleId() + "/" + message.outputName() + ": " + error.getMessage(),
                            error));
                }
                callback.done(false);
            });
            return false;
        }
    }

    /** @return the endpoint a queue holds, as routes name it */
    static String endpointName(String queue) {
        if (queue.equals(RouteTable.UPSTREAM_QUEUE)) {
            return "$upstream";
        }
        String rest = queue.substring("outpost.modules.".length());
        int inputs = rest.indexOf(".inputs.");
        return "BrokeredEndpoint(\"/modules/" + rest.substring(0, inputs) + "/inputs/"
                + rest.substring(inputs + ".inputs.".length()) + "\")";
    }

    /** @return the queues of every endpoint the running routes name, {@code $upstream} first */
    private Set<String> endpointQueues() {
        Set<String> queues = new LinkedHashSet<>();
        queues.add(RouteTable.UPSTREAM_QUEUE);
        running.table().routes().forEach(r -> queues.add(RouteTable.queueOf(r.sink())));
        return queues;
    }

    @Override
    public List<EndpointStatus> endpoints() {
        RouteTable table = running.table();
        List<EndpointStatus> out = new ArrayList<>();
        for (String queue : endpointQueues()) {
            QueueDepth depth = broker.queueDepth(queue).orElse(new QueueDepth(0, 0, Map.of(), null));
            Map<Integer, Long> byPriority = new TreeMap<>();
            depth.byPriority().forEach((jms, n) -> byPriority.merge(9 - jms, n, Long::sum));
            EndpointCounters c = counters(queue);
            long expired = broker.queueStats(queue).map(QueueStats::expired).orElse(0L);
            out.add(new EndpointStatus(endpointName(queue), queue, depth.messages(), depth.bytes(),
                    table.maxBytesPerEndpoint(), table.whenFull().text, byPriority, depth.oldest(),
                    c.rejected.sum(), c.droppedFull.sum(), expired));
        }
        return out;
    }

    private Map<Map<String, String>, Double> queueLengths() {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (EndpointStatus e : endpoints()) {
            e.byPriority().forEach((p, n) -> out.put(Map.of("endpoint", e.endpoint(), "priority",
                    Integer.toString(p)), n.doubleValue()));
        }
        return out;
    }

    private Map<Map<String, String>, Double> expiredCounts() {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        for (String queue : endpointQueues()) {
            broker.queueStats(queue).ifPresent(q -> out.put(Map.of("reason", "ttl_expiry", "to",
                    endpointName(queue)), (double) q.expired()));
        }
        return out;
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
        RouteTable table = RouteTable.fromProperties(properties);
        synchronized (routesLock) {
            if (routesFile != null) {
                // The routes file stays the one place that holds the routes.
                routesFile.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        JSON.readTree(edgeHubJson)));
            }
            store(properties);
            // In effect when this returns: the configuration event that follows finds them running already.
            run(settings(properties), table, "setRoutes");
        }
    }

    @Override
    public void checkRoutes(String edgeHubJson) {
        try {
            RouteTable.fromProperties(EdgeHubRoutes.toProperties(JSON.readTree(edgeHubJson)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the routes are not JSON: " + e.getOriginalMessage());
        }
    }

    /** Applies a new routes file; a bad one is logged and the running routes stay. */
    private void routesFileChanged(String content) {
        try {
            Map<String, String> properties = EdgeHubRoutes.toProperties(JSON.readTree(content));
            RouteTable table = RouteTable.fromProperties(properties);
            synchronized (routesLock) {
                store(properties);
                run(settings(properties), table, routesFile.path().toString());
            }
        } catch (JsonProcessingException e) {
            rejected(routesFile.path() + " rejected, the running routes stay: it is not JSON: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException | IOException e) {
            rejected(routesFile.path() + " rejected, the running routes stay: " + e.getMessage());
        }
    }

    private void rejected(String why) {
        LOG.error(why);
        lastRejection = Instant.now() + ": " + why;
    }

    @Override
    public Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    /** Stores valid routes as the routing configuration (etc/org.outpost.routing.cfg), which applies them. */
    private void store(Map<String, String> properties) throws IOException {
        Hashtable<String, Object> next = new Hashtable<>(properties);
        Configuration c = configurationAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> current = c.getProperties();
        if (current != null && sameRoutes(current, next)) {
            return;
        }
        c.update(next);
    }

    private static boolean sameRoutes(Dictionary<String, Object> current, Map<String, Object> next) {
        return settings(toMap(current)).equals(settings(next));
    }
}
