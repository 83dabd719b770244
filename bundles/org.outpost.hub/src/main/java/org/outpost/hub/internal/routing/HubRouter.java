/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.outpost.api.message.Message;
import org.outpost.broker.api.Broker;
import org.outpost.hub.internal.DeviceAuthenticator;
import org.outpost.hub.internal.TelemetryRouting;
import org.outpost.hub.routing.EndpointType;
import org.outpost.hub.routing.HubRouting;
import org.outpost.hub.routing.RoutedMessage;
import org.outpost.hub.storage.HubDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message routing at the hub: routes from the database, matched against every ingested device message; matches are
 * queued per endpoint ({@link IngestBatcher}) and delivered ({@link Delivery}); the built-in endpoint is this node's
 * broker ({@link EventsEndpoint}). Routes and endpoints changed through another node arrive as the event
 * {@value #EVENT}.
 */
@Component(service = {HubRouting.class, TelemetryRouting.class}, configurationPid = RoutingSettings.PID)
@Designate(ocd = RoutingSettings.class)
public final class HubRouter implements HubRouting, TelemetryRouting {

    static final String EVENT = "routing";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Logger LOG = LoggerFactory.getLogger(HubRouter.class);

    private final HubDatabase db;
    private final RoutingTables tables;
    private final RoutingQueues queues;
    private final EventsEndpoint events;
    private final OpenSinks sinks;
    private final Map<String, EndpointType> types;
    private final IngestBatcher batcher;
    private volatile Delivery delivery;
    private final List<Runnable> subscriptions = new ArrayList<>();
    /** The routes; null until read once (messages are not acknowledged meanwhile: none is dropped unrouted). */
    private volatile RouteTable table;
    /** Reads the routes again while they could not be read once. */
    private final java.util.concurrent.ScheduledExecutorService retry = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(org.outpost.commons.DaemonThreads.named("outpost-hub-routing-reload"));
    private volatile Map<String, String> groupHashes = Map.of();

    @Activate
    public HubRouter(@Reference HubDatabase db, @Reference Broker broker,
            @Reference DeviceAuthenticator authenticator, RoutingSettings settings) {
        this(db, new EventsEndpoint(broker, DeviceAuthenticator.internalUser(), authenticator.internalToken(),
                settings.events_retention_minutes() * 60_000L), settings);
        authenticator.consumerGroupTokens(this::groupToken);
    }

    HubRouter(HubDatabase db, EventsEndpoint events, RoutingSettings settings) {
        this.db = db;
        this.tables = new RoutingTables(db);
        this.queues = new RoutingQueues(db);
        this.events = events;
        this.sinks = new OpenSinks(db.nodeId());
        this.types = sinks.types;
        reload();
        retry.scheduleWithFixedDelay(() -> {
            if (table == null) {
                reload();
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        subscriptions.add(db.subscribe(EVENT, data -> reload()));
        subscriptions.add(db.onResync(this::reload));
        this.delivery = new Delivery(queues, db.nodeId(), settings, sinks::sink, System::currentTimeMillis);
        this.batcher = new IngestBatcher(queues, events, settings.ingest_batch_max(), delivery::wake);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindType(EndpointType type, Map<String, Object> props) {
        Object name = props.get(EndpointType.TYPE);
        if (name instanceof String n && !n.isBlank()) {
            types.put(n, type);
            LOG.info("Routing endpoint type '{}' available", n);
        }
    }

    void unbindType(EndpointType type, Map<String, Object> props) {
        Object name = props.get(EndpointType.TYPE);
        if (name instanceof String n) {
            sinks.removeType(n, type);
        }
    }

    /** For tests: registers a type as the whiteboard would. */
    public void addType(String name, EndpointType type) {
        bindType(type, Map.of(EndpointType.TYPE, name));
    }

    @Deactivate
    public void deactivate() {
        subscriptions.forEach(Runnable::run);
        retry.shutdownNow();
        batcher.close();
        delivery.close();
        events.close();
        sinks.closeAll();
    }

    private void reload() {
        try {
            table = RouteTable.of(tables.routes());
            forgetGone(tables.endpoints());
            Map<String, String> hashes = new ConcurrentHashMap<>();
            for (RoutingTables.GroupRow g : tables.groups()) {
                hashes.put(g.name(), g.tokenSha256());
                try {
                    events.ensureGroup(g.name());
                } catch (Exception e) {
                    LOG.warn("Cannot make the queue of consumer group '{}' on this node's broker: {}", g.name(),
                            e.toString());
                }
            }
            groupHashes = hashes;
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the routes ({}); {}", e.toString(), table == null ? "messages are not acknowledged"
                    + " until they are read (retrying every second)" : "keeping the ones read before");
        }
    }

    /**
     * Closes the sinks of the endpoints deleted (or deleted and created again) meanwhile, on this node or another, and
     * drops what delivery knew of them.
     */
    private void forgetGone(List<RoutingTables.EndpointRow> endpoints) {
        Map<String, Long> live = new java.util.HashMap<>();
        endpoints.forEach(e -> live.put(e.name(), e.createdMs()));
        sinks.retain(live);
        Delivery d = delivery;
        if (d != null) {
            d.retain(live);
        }
    }

    private void changed() {
        reload();
        delivery.wake();
        try {
            db.publish(EVENT, "changed");
        } catch (RuntimeException e) {
            LOG.warn("Cannot tell the other hub nodes of a routing change ({}); they read it at their next resync",
                    e.toString());
        }
    }

    // ---- ingestion

    @Override
    public CompletionStage<Void> route(Message message, Instant enqueuedTime) {
        RouteTable t = table;
        if (t == null) {
            reload();
            t = table;
            if (t == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("message routing has not read its"
                        + " routes from the hub database yet (is it reachable?); the message is not acknowledged"));
            }
        }
        if (t.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<RouteTable.Match> matches = t.match(message);
        if (matches.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<RoutingQueues.Item> items = new ArrayList<>(matches.size());
        List<RoutedMessage> toEvents = new ArrayList<>(1);
        String properties = null;
        String body = null;
        for (RouteTable.Match m : matches) {
            if (m.endpoint().equals(BUILT_IN)) {
                toEvents.add(new RoutedMessage(m.route(), events.nextSequence(), enqueuedTime, message));
                continue;
            }
            if (properties == null) {
                properties = MessageCodec.properties(message);
                body = MessageCodec.body(message);
            }
            items.add(new RoutingQueues.Item(m.endpoint(), m.route(), enqueuedTime.toEpochMilli(), properties, body));
        }
        return batcher.submit(items, toEvents);
    }

    // ---- HubRouting

    @Override
    public List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (RoutingQueues.State s : queues.states()) {
            out.add(Endpoints.view(s, now, s.name().equals(BUILT_IN) ? builtInQueued() : -1, events.delivered()));
        }
        return out;
    }

    private long builtInQueued() {
        long n = 0;
        for (String g : groupHashes.keySet()) {
            n += Math.max(0, events.waiting(g));
        }
        return n;
    }

    @Override
    public Optional<Endpoint> endpoint(String name) {
        return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    @Override
    public Endpoint putEndpoint(String name, String type, Map<String, Object> settings) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an endpoint's name is 1 to 64 letters, digits, '-' or '_', not '"
                    + name + "'");
        }
        if (name.equals(BUILT_IN) || "events".equals(type)) {
            throw new IllegalArgumentException("'events' is the built-in endpoint: it cannot be changed (manage its"
                    + " consumer groups with hub:routes consumer-groups)");
        }
        EndpointType t = types.get(type);
        if (t == null) {
            throw new IllegalArgumentException("type: no endpoint type '" + type + "' on this hub; installed: "
                    + types().stream().filter(x -> !x.equals("events")).toList() + " (others come with their"
                    + " features, e.g. outpost-hub-kafka)");
        }
        Map<String, Object> s = settings == null ? Map.of() : settings;
        // Opening checks the settings (and does not connect); the delivery thread opens its own.
        OpenSinks.closeQuietly(t.open(name, s));
        tables.putEndpoint(name, type, Endpoints.json(s), System.currentTimeMillis());
        changed();
        return endpoint(name).orElseThrow();
    }

    @Override
    public boolean deleteEndpoint(String name) {
        if (BUILT_IN.equals(name)) {
            throw new IllegalArgumentException("'events' is the built-in endpoint: it cannot be deleted");
        }
        List<String> using = routes().stream().filter(r -> r.endpoints().contains(name)).map(Route::name).toList();
        if (!using.isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + name + "' is used by route(s) " + using + ": change or"
                    + " delete them first");
        }
        boolean deleted = tables.deleteEndpoint(name);
        sinks.close(name);
        if (deleted) {
            changed();
        }
        return deleted;
    }

    @Override
    public List<Route> routes() {
        return tables.routes();
    }

    @Override
    public Optional<Route> route(String name) {
        return routes().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public Route putRoute(Route route) {
        Route r = Endpoints.checked(route, tables.endpoints().stream().map(RoutingTables.EndpointRow::name).toList());
        tables.putRoute(r, System.currentTimeMillis());
        changed();
        return route(r.name()).orElseThrow();
    }

    @Override
    public boolean deleteRoute(String name) {
        if (FALLBACK.equals(name)) {
            throw new IllegalArgumentException("the fallback route cannot be deleted: disable it (PUT with"
                    + " \"enabled\": false)");
        }
        boolean deleted = tables.deleteRoute(name);
        if (deleted) {
            changed();
        }
        return deleted;
    }

    @Override
    public List<DeadLetter> deadLetters(String endpoint, int limit) {
        requireEndpoint(endpoint);
        return queues.deadLetters(endpoint, limit).stream().map(r -> new DeadLetter(r.seq(), r.route(),
                Instant.ofEpochMilli(r.enqueuedMs()), Instant.ofEpochMilli(r.deadMs()), r.attempts(), r.reason(),
                MessageCodec.message(r.properties(), r.body()))).toList();
    }

    private void requireEndpoint(String endpoint) {
        if (tables.endpoint(endpoint).isEmpty()) {
            throw new java.util.NoSuchElementException("no endpoint '" + endpoint + "'");
        }
    }

    @Override
    public int replay(String endpoint, List<Long> sequences) {
        requireEndpoint(endpoint);
        int n = queues.replay(endpoint, sequences == null ? List.of() : sequences);
        delivery.wake();
        return n;
    }

    @Override
    public TestResult test(String condition, Message sample) {
        var c = RouteTable.compile(condition);
        var e = c.explain(org.outpost.routelanguage.RouteMessage.of(RouteTable.SOURCE, sample));
        return new TestResult(e.result().name().toLowerCase(java.util.Locale.ROOT), e.undefinedOperand(),
                table == null ? List.of() : table.routesOf(sample));
    }

    @Override
    public List<String> types() {
        List<String> out = new ArrayList<>(types.keySet());
        out.add("events");
        out.sort(null);
        return out;
    }

    @Override
    public List<ConsumerGroup> consumerGroups() {
        return tables.groups().stream().map(g -> new ConsumerGroup(g.name(), g.created(), Math.max(0,
                events.waiting(g.name())), "$share/" + g.name() + "/" + EventsEndpoint.TOPIC)).toList();
    }

    @Override
    public String addConsumerGroup(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a consumer group's name is 1 to 64 letters, digits, '-' or '_', not '"
                    + name + "'");
        }
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        if (!tables.addGroup(name, Endpoints.sha256(token), System.currentTimeMillis())) {
            throw new IllegalArgumentException("consumer group '" + name + "' exists (remove it first to get a new"
                    + " token)");
        }
        changed();
        return token;
    }

    @Override
    public boolean removeConsumerGroup(String name) {
        boolean removed = tables.removeGroup(name);
        try {
            events.removeGroup(name);
        } catch (Exception e) {
            LOG.warn("Cannot remove the queue of consumer group '{}': {}", name, e.toString());
        }
        if (removed) {
            changed();
        }
        return removed;
    }

    /** The other nodes drop their queue of a removed group when they reload. */
    private boolean groupToken(String group, String token) {
        String hash = groupHashes.get(group);
        return hash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                Endpoints.sha256(token).getBytes(StandardCharsets.US_ASCII));
    }
}
