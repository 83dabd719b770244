/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.InputHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.StorageFullException;
import org.outpost.broker.api.MqttAddresses;
import org.outpost.commons.DaemonThreads;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects modules that speak MQTT to the broker (container modules) with the router, both ways, and gives them their
 * credentials ({@link ModuleAccess}):
 * <ul>
 * <li>what they publish on {@code devices/<device>/modules/<module>/messages/events/<bag>} is taken from a durable
 * queue and routed like a bundle module's message, from output {@code $.on} ({@value #DEFAULT_OUTPUT} without one);
 * the queue copy is acknowledged only once the router stored it;</li>
 * <li>messages routed to their inputs are published on {@code devices/<device>/modules/<module>/inputs/<input>/<bag>}
 * while the module is subscribed there (looked at every 2 s), and wait in the input's queue while it is not, taken
 * by nobody here (a module connected to the gateway's IoT Hub endpoint gets them from there).</li>
 * </ul>
 */
@Component(service = ModuleAccess.class)
public final class MqttModuleBridge implements ModuleAccess {

    static final String DEFAULT_OUTPUT = "default";
    static final String EVENTS_QUEUE = "outpost.mqtt.module-events";
    /** Every module's telemetry on this broker; the broker only lets a module publish under its own id. */
    static final String EVENTS_ADDRESS = "devices.*.modules.*.messages.events.#";
    private static final Pattern INPUT_SINK = Pattern.compile("BrokeredEndpoint\\(\"/modules/([^/\"]+)/inputs/([^/\"]+)\"\\)");
    private static final int MAX_IN_FLIGHT = 256;
    private static final long RETRY_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MqttModuleBridge.class);

    private final Broker broker;
    private final Ingress ingress;
    private final Routing routing;
    private final InputDispatcher dispatcher;
    private final ModuleAccessControl access;
    private final Metrics.Counter malformed;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1,
            DaemonThreads.named("outpost-mqtt-bridge"));
    private final Thread eventsThread;
    private final Map<String, Runnable> inputs = new HashMap<>();
    private volatile boolean running = true;

    @Activate
    public MqttModuleBridge(@Reference Broker broker, @Reference Ingress ingress, @Reference Routing routing,
            @Reference InputDispatcher dispatcher, @Reference ModuleAccessControl access, @Reference Metrics metrics)
            throws Exception {
        this.broker = broker;
        this.ingress = ingress;
        this.routing = routing;
        this.dispatcher = dispatcher;
        this.access = access;
        this.malformed = metrics.counter("edgehub_messages_dropped_total", "reason", "malformed");
        this.locator = broker.createLocator();
        this.factory = locator.createSessionFactory();
        this.eventsThread = DaemonThreads.named("outpost-mqtt-events").newThread(this::takeEvents);
        eventsThread.start();
        executor.scheduleWithFixedDelay(this::reconcileInputs, 0, 2, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        eventsThread.interrupt();
        eventsThread.join(5000);
        synchronized (inputs) {
            inputs.values().forEach(Runnable::run);
            inputs.clear();
        }
        factory.close();
        locator.close();
    }

    // ---- credentials: a module reaches the broker this bridge serves

    @Override
    public Map<String, String> grant(String module) {
        return access.grant(module, broker.acceptorUrl("MQTT"));
    }

    @Override
    public void revoke(String module) {
        access.revoke(module);
    }

    // ---- module telemetry -> router

    /** A message taken from the events queue and being routed. */
    private record InFlight(ClientMessage message, String module, String output, Message routed,
            CompletableFuture<Void> stored) {
    }

    private void takeEvents() {
        while (running) {
            try (ClientSession session = factory.createSession(false, true, true)) {
                if (!session.queueQuery(SimpleString.of(EVENTS_QUEUE)).isExists()) {
                    session.createQueue(QueueConfiguration.of(EVENTS_QUEUE).setAddress(EVENTS_ADDRESS)
                            .setRoutingType(RoutingType.MULTICAST).setDurable(true));
                }
                try (ClientConsumer consumer = session.createConsumer(EVENTS_QUEUE)) {
                    session.start();
                    pump(consumer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("The MQTT module bridge lost its broker session ({}); reconnecting", e.toString());
                    try {
                        Thread.sleep(RETRY_MS);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Routes messages as they come, up to {@value #MAX_IN_FLIGHT} at a time, and acknowledges each (in order, in this
     * thread, which owns the session) once the router stored it. A message the router refuses (an endpoint is full)
     * is routed again after a pause; it stays in the queue until then.
     */
    private void pump(ClientConsumer consumer) throws Exception {
        Deque<InFlight> inFlight = new ArrayDeque<>();
        while (running) {
            ClientMessage cm = inFlight.size() < MAX_IN_FLIGHT ? consumer.receive(inFlight.isEmpty() ? 500 : 1) : null;
            if (cm != null) {
                InFlight f = toRoute(cm);
                if (f == null) {
                    cm.individualAcknowledge();
                } else {
                    inFlight.add(f);
                }
            }
            while (!inFlight.isEmpty() && (inFlight.peek().stored().isDone() || inFlight.size() >= MAX_IN_FLIGHT)) {
                InFlight head = inFlight.peek();
                try {
                    head.stored().join();
                    inFlight.poll().message().individualAcknowledge();
                } catch (java.util.concurrent.CompletionException e) {
                    // A full disk is said once by the broker; the message waits in the queue until space returns.
                    boolean diskFull = e.getCause() instanceof org.outpost.api.module.SendException s
                            && s.getCause() instanceof StorageFullException;
                    Object why = e.getCause() == null ? e : e.getCause().getMessage();
                    if (diskFull) {
                        LOG.debug("Could not route the message {} of module {} ({}); trying again in {} ms",
                                head.routed().messageId(), head.module(), why, RETRY_MS);
                    } else {
                        LOG.warn("Could not route the message {} of module {} ({}); trying again in {} ms",
                                head.routed().messageId(), head.module(), why, RETRY_MS);
                    }
                    Thread.sleep(RETRY_MS);
                    inFlight.poll();
                    inFlight.addFirst(new InFlight(head.message(), head.module(), head.output(), head.routed(),
                            ingress.sendAsync(head.module(), head.output(), head.routed()).toCompletableFuture()));
                }
            }
        }
    }

    /** @return the message to route, or null (after a warning) if it cannot be: it is dropped */
    private InFlight toRoute(ClientMessage cm) {
        String topic = MqttAddresses.topic(cm.getAddress());
        try {
            TelemetryTopic t = TelemetryTopic.parse(topic).orElseThrow(() -> new IllegalArgumentException(
                    "it is not a module telemetry topic"));
            if (t.moduleId() == null || !ModuleNames.isValid(t.moduleId())) {
                throw new IllegalArgumentException("it names no valid module");
            }
            String output = t.properties().getOrDefault(PropertyBag.OUTPUT_NAME, DEFAULT_OUTPUT);
            ModuleNames.require("output name ($.on)", output);
            byte[] body = new byte[cm.getBodyBuffer().readableBytes()];
            cm.getBodyBuffer().readBytes(body);
            Message m = PropertyBag.apply(t.properties(), Message.builder().body(body)).build();
            return new InFlight(cm, t.moduleId(), output, m, ingress.sendAsync(t.moduleId(), output, m)
                    .toCompletableFuture());
        } catch (IllegalArgumentException e) {
            malformed.increment();
            LOG.warn("Dropped a message published on '{}': {}. Publish to {}<property bag>, with the output name as"
                    + " $.on", topic, e.getMessage(), ModuleTopics.eventsPrefix(ingress.deviceId(), "<module>"));
            return null;
        }
    }

    // ---- router -> module inputs

    /** Delivers the inputs that routes name, of the modules that hold broker credentials. */
    void reconcileInputs() {
        try {
            Set<String> modules = access.granted();
            Set<String> wanted = new HashSet<>();
            for (RouteStatus r : routing.routes()) {
                Matcher m = INPUT_SINK.matcher(r.sink());
                if (m.matches() && modules.contains(m.group(1)) && ModuleNames.isValid(m.group(2))
                        && subscribed(m.group(1), m.group(2))) {
                    wanted.add(m.group(1) + "/" + m.group(2));
                }
            }
            synchronized (inputs) {
                inputs.entrySet().removeIf(e -> {
                    if (!wanted.contains(e.getKey())) {
                        e.getValue().run();
                        return true;
                    }
                    return false;
                });
                for (String key : wanted) {
                    if (!inputs.containsKey(key) && running) {
                        String[] mi = key.split("/");
                        MqttInput handler = new MqttInput(mi[0], mi[1]);
                        Runnable stop = dispatcher.attach(mi[0], mi[1], handler);
                        inputs.put(key, () -> {
                            stop.run();
                            handler.close();
                        });
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not update the MQTT module inputs: {}", e.toString());
        }
    }

    /**
     * @return whether the module is subscribed to the input over the broker's MQTT: only then are the input's messages
     *         taken from its queue here, so that a module connected to the gateway's IoT Hub endpoint instead gets
     *         them from there alone, in order (two consumers of one queue would share its messages out of order)
     */
    private boolean subscribed(String module, String input) {
        return broker.hasSubscribers(MqttAddresses.address(ModuleTopics.inputsPrefix(ingress.deviceId(), module)
                + input + "/probe"));
    }

    /** Publishes an input's messages to the module's input topic; called by one input thread only. */
    private final class MqttInput implements InputHandler {
        private final String module;
        private final String input;
        private ClientSession session;
        private ClientProducer producer;

        MqttInput(String module, String input) {
            this.module = module;
            this.input = input;
        }

        @Override
        public void onMessage(Message message) throws Exception {
            String topic = ModuleTopics.inputsPrefix(ingress.deviceId(), module) + input + "/"
                    + PropertyBag.encode(PropertyBag.of(message));
            String address = MqttAddresses.address(topic);
            if (!broker.hasSubscribers(address)) {
                throw new InputDispatcher.NotReadyException("module " + module + " is not subscribed to "
                        + ModuleTopics.inputsPrefix(ingress.deviceId(), module) + "#");
            }
            // While the disk is full the message stays in the input's queue and comes again after a pause.
            broker.requireStorage();
            synchronized (this) {
                if (session == null) {
                    session = factory.createSession(true, true);
                    producer = session.createProducer();
                }
                ClientMessage cm = session.createMessage(org.apache.activemq.artemis.api.core.Message.BYTES_TYPE,
                        true);
                cm.getBodyBuffer().writeBytes(message.body());
                producer.send(address, cm);
            }
        }

        synchronized void close() {
            if (session != null) {
                try {
                    session.close();
                } catch (Exception e) {
                    LOG.debug("Closing the input session of {}/{}: {}", module, input, e.toString());
                }
                session = null;
            }
        }
    }
}
