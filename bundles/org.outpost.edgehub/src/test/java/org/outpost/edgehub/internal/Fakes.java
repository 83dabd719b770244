/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.MessageHeaders;
import org.outpost.routing.api.RouteExplanation;
import org.outpost.routing.api.RouteStatus;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.DesiredChangeListener;
import org.outpost.twin.api.GatewayTwins;

/** The endpoint's collaborators at its boundaries, in memory, remembering what they were asked. */
final class Fakes {

    static final String DEVICE = "gw1";
    static final String HUB = "hub.example";

    private Fakes() {
    }

    /** The gateway's module identities: those {@link #add added}, for the hub {@value #HUB}. */
    static final class Identities implements ModuleIdentities {
        final Map<String, ModuleIdentity> modules = new ConcurrentHashMap<>();
        private final org.outpost.commons.Listeners<java.util.function.Consumer<String>> revoked =
                new org.outpost.commons.Listeners<>("revocations");

        @Override
        public ModuleIdentity rekey(String moduleId) {
            ModuleIdentity old = modules.get(moduleId);
            String key = java.util.Base64.getEncoder().encodeToString(java.util.UUID.randomUUID().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ModuleIdentity made = new ModuleIdentity(DEVICE, moduleId, old.generationId(), key, key, old.created(),
                    false);
            modules.put(moduleId, made);
            revoked.fire(r -> r.accept(moduleId));
            return made;
        }

        @Override
        public AutoCloseable onRevoked(java.util.function.Consumer<String> listener) {
            return revoked.subscribe(listener);
        }

        ModuleIdentity add(String module, String primaryKey, String secondaryKey) {
            ModuleIdentity id = new ModuleIdentity(DEVICE, module, "gen-1", primaryKey, secondaryKey, Instant.EPOCH,
                    false);
            modules.put(module, id);
            return id;
        }

        @Override
        public String deviceId() {
            return DEVICE;
        }

        @Override
        public ModuleIdentity create(String moduleId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ModuleIdentity> identity(String moduleId) {
            return Optional.ofNullable(modules.get(moduleId));
        }

        @Override
        public List<ModuleIdentity> identities() {
            return List.copyOf(modules.values());
        }

        @Override
        public boolean delete(String moduleId) {
            boolean had = modules.remove(moduleId) != null;
            if (had) {
                revoked.fire(r -> r.accept(moduleId));
            }
            return had;
        }

        @Override
        public Pending pending() {
            return new Pending(List.of(), List.of());
        }

        @Override
        public void registeredAtHub(String moduleId, String generationId) {
        }

        @Override
        public void deletedAtHub(String moduleId) {
        }

        @Override
        public AutoCloseable onChange(Runnable listener) {
            return () -> { };
        }

        @Override
        public Map<String, String> environment(String moduleId, Placement placement) {
            if (!modules.containsKey(moduleId)) {
                throw new IllegalArgumentException("module " + moduleId + " has no identity");
            }
            return Map.of("IOTEDGE_IOTHUBHOSTNAME", HUB, "IOTEDGE_DEVICEID", DEVICE, "IOTEDGE_MODULEID", moduleId);
        }

        @Override
        public String connectionString(String moduleId) {
            throw new UnsupportedOperationException();
        }
    }

    /** The router: keeps what it is given, with the routes {@link #route named}; fails while {@link #failing}. */
    static final class Router implements Routing {
        final List<Message> routed = new CopyOnWriteArrayList<>();
        final List<RouteStatus> routes = new CopyOnWriteArrayList<>();
        volatile String failing;

        void route(String name, String text, String sink) {
            routes.add(new RouteStatus(name, text, "/messages/*", "", sink, 0, 7200, 0));
        }

        @Override
        public CompletionStage<Void> route(Message message) {
            if (failing != null) {
                return CompletableFuture.failedFuture(new SendException(failing));
            }
            routed.add(message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deliver(String module, String input, Message message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<EndpointStatus> endpoints() {
            return List.of();
        }

        @Override
        public List<RouteStatus> routes() {
            return List.copyOf(routes);
        }

        @Override
        public Optional<String> lastRejection() {
            return Optional.empty();
        }

        @Override
        public long noRoute() {
            return 0;
        }

        @Override
        public long noRouteTwinChanges() {
            return 0;
        }

        @Override
        public List<RouteExplanation> explain(String messageJson) {
            return List.of();
        }

        @Override
        public void setRoutes(String edgeHubJson) {
        }

        @Override
        public void setCloudRoutes(String edgeHubJson, long version) {
        }

        @Override
        public String routesOrigin() {
            return "test";
        }

        @Override
        public void checkRoutes(String edgeHubJson) {
        }
    }

    /** The gateway's twins, as JSON strings by module; a patch with "bad" in it is refused as GatewayTwins does. */
    static final class Twins implements GatewayTwins {
        final Map<String, String> twins = new ConcurrentHashMap<>();
        final List<String> reported = new CopyOnWriteArrayList<>();
        final List<DesiredChangeListener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public List<String> modules() {
            return new ArrayList<>(twins.keySet());
        }

        @Override
        public Optional<String> twin(String module) {
            return Optional.ofNullable(twins.get(module));
        }

        @Override
        public long patchReported(String module, String patchJson) {
            if (!twins.containsKey(module)) {
                throw new IllegalArgumentException("no module '" + module + "' has a twin");
            }
            if (patchJson.contains("bad")) {
                throw new IllegalArgumentException("reported.bad: is over a twin limit");
            }
            reported.add(module + " " + patchJson);
            twins.put(module, "{\"desired\":{\"$version\":1},\"reported\":{\"$version\":" + (reported.size() + 1)
                    + "}}");
            return reported.size() + 1;
        }

        @Override
        public AutoCloseable onDesiredChange(DesiredChangeListener listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    /** The gateway's certificates: a key store path, which need not exist (then the TLS endpoint is off). */
    static final class Certificates implements GatewayCertificates {
        final Path keyStore;
        final List<Runnable> renewals = new CopyOnWriteArrayList<>();

        Certificates(Path keyStore) {
            this.keyStore = keyStore;
        }

        @Override
        public String caCertificatePem() {
            return "";
        }

        @Override
        public Path caCertificateFile() {
            return keyStore.resolveSibling("ca.pem");
        }

        @Override
        public Path serverKeyStore() {
            return keyStore;
        }

        @Override
        public char[] serverKeyStorePassword() {
            return "secret".toCharArray();
        }

        @Override
        public List<String> serverHostNames() {
            return List.of("gateway.local", "127.0.0.1");
        }

        @Override
        public Instant serverNotAfter() {
            return Instant.MAX;
        }

        @Override
        public Instant caNotAfter() {
            return Instant.MAX;
        }

        @Override
        public AutoCloseable onRenewal(Runnable listener) {
            renewals.add(listener);
            return () -> renewals.remove(listener);
        }
    }

    /** A real broker, in-VM and not persistent, as the gateway's embedded broker is to its clients. */
    static final class InVmBroker implements Broker, AutoCloseable {
        private static final String URL = "vm://0";
        private final EmbeddedActiveMQ server;

        InVmBroker() throws Exception {
            ConfigurationImpl c = new ConfigurationImpl();
            c.setPersistenceEnabled(false);
            c.setSecurityEnabled(false);
            c.addAcceptorConfiguration("in-vm", URL);
            server = new EmbeddedActiveMQ().setConfiguration(c).start();
        }

        @Override
        public ServerLocator createLocator() {
            try {
                return ActiveMQClient.createServerLocator(URL);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<String> acceptorUrl(String protocol) {
            return Optional.empty();
        }

        @Override
        public Optional<QueueStats> queueStats(String queue) {
            return Optional.empty();
        }

        @Override
        public long queueBytes(String queue) {
            return 0;
        }

        @Override
        public Optional<QueueDepth> queueDepth(String queue) {
            return Optional.empty();
        }

        @Override
        public long dropOldest(String queue, long bytes) {
            return 0;
        }

        @Override
        public boolean hasSubscribers(String address) {
            return false;
        }

        /** Stores a message in a module input's queue as the router does (made if it does not exist). */
        void store(String module, String input, Message message) throws Exception {
            String queue = ModuleQueues.queue(module, input);
            try (ServerLocator locator = createLocator();
                    ClientSessionFactory factory = locator.createSessionFactory();
                    ClientSession session = factory.createSession()) {
                if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
                    session.createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                            .setDurable(true));
                }
                ClientMessage cm = session.createMessage(true);
                cm.getBodyBuffer().writeBytes(message.body());
                MessageHeaders.of(message).forEach(cm::putStringProperty);
                try (ClientProducer producer = session.createProducer(queue)) {
                    producer.send(cm);
                }
            }
        }

        /** @return how many messages wait in a queue (delivered and not acknowledged included) */
        long depth(String queue) {
            org.apache.activemq.artemis.core.server.Queue q = server.getActiveMQServer().locateQueue(queue);
            return q == null ? 0 : q.getMessageCount();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }
}
