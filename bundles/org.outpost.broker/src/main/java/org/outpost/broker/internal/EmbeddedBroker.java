/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

import javax.net.ssl.SSLSocketFactory;

import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.postoffice.Address;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.spi.core.protocol.ProtocolManagerFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.broker.api.StorageState;
import org.outpost.commons.PlainTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded ActiveMQ Artemis broker: persistent journal under {@code ${karaf.data}/outpost/broker}, an in-VM
 * acceptor and core, MQTT and AMQP acceptors bound to loopback by default. The {@link Broker} service is available
 * once the broker has started. Artemis broker plugins registered as services ({@link ActiveMQServerPlugin}: the hub's
 * limits per identity, say) are registered with the broker while both are there, again after a restart; a plugin gets
 * the running server in {@link ActiveMQServerPlugin#registered} and lets it go in {@link
 * ActiveMQServerPlugin#unregistered}.
 */
@Component(service = Broker.class, immediate = true, configurationPid = BrokerSettings.PID)
@Designate(ocd = EmbeddedBroker.Config.class)
public final class EmbeddedBroker implements Broker {

    @ObjectClassDefinition(name = "Outpost broker", description = "The embedded ActiveMQ Artemis broker.")
    public @interface Config {
        @AttributeDefinition(description = "Broker name, used in logs and JMX.")
        String name() default "outpost";

        @AttributeDefinition(description = "Address the network acceptors bind to. Keep 127.0.0.1 unless clients"
                + " on other hosts must connect.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Core protocol port (0 for none).")
        int core_port() default 61616;

        @AttributeDefinition(description = "MQTT port (0 for none).")
        int mqtt_port() default 1883;

        @AttributeDefinition(description = "AMQP port (0 for none).")
        int amqp_port() default 5672;

        @AttributeDefinition(description = "Journal directory; empty means ${karaf.data}/outpost/broker.")
        String data_directory() default "";

        @AttributeDefinition(description = "Disk usage (percent, Artemis' 1 - usable/total of the journal's file"
                + " system) at which the broker refuses messages until space returns.")
        int max_disk_usage() default 90;

        @AttributeDefinition(description = "Milliseconds between two measures of the disk against max.disk.usage.")
        long disk_scan_period_ms() default 5000;

        @AttributeDefinition(description = "Seconds a sender waits for the broker's acknowledgement that a message"
                + " is stored before the send fails.")
        int store_timeout_seconds() default 10;

        @AttributeDefinition(description = "Microseconds the journal gathers writes before one disk sync: lower"
                + " means less latency and more syncs. Artemis' default for NIO is 3333.")
        int journal_sync_us() default 3333;

        @AttributeDefinition(description = "Open connections plus kept MQTT sessions one network identity (a module,"
                + " a device) may have at once; one more is refused.")
        int max_sessions_per_identity() default 8;

        @AttributeDefinition(description = "MQTT subscriptions one session may hold; a SUBSCRIBE past it closes the"
                + " connection.")
        int max_subscriptions_per_connection() default 32;

        @AttributeDefinition(description = "Retained MQTT messages one identity may keep; 0 refuses retained messages"
                + " (the connection is closed).")
        int max_retained_per_identity() default 0;

        @AttributeDefinition(description = "Broker addresses of the network clients' own topics (an Artemis match),"
                + " bounded by client.address.max.bytes; empty for none.")
        String client_address_match() default "devices.#";

        @AttributeDefinition(description = "Bytes the queues of one client address may hold before a send to it fails"
                + " (0: page without a bound).")
        long client_address_max_bytes() default 64L * 1024 * 1024;
        @AttributeDefinition(description = "PKCS#12 key store (in ${karaf.etc} unless absolute) the network acceptors"
                + " serve TLS with, on any host. Empty: off loopback, a gateway uses its own server certificate"
                + " (${karaf.data}/outpost/ca/server.p12, from org.outpost.identity); without one a plain acceptor"
                + " off loopback refuses to start.")
        String tls_keystore() default "";

        @AttributeDefinition(description = "Password of tls.keystore (and of its key).", type = AttributeType.PASSWORD)
        String tls_keystore_password() default "";

        @AttributeDefinition(description = "Let plain (no TLS) acceptors listen on an address that is not loopback:"
                + " a trusted network only, passwords cross it in the clear.")
        boolean allow_plain_off_loopback() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final ProtocolManagerFactory<?> mqtt;
    private final ProtocolManagerFactory<?> amqp;
    private final Path karafData;
    private final Path karafEtc;
    private volatile BrokerAuthenticator authenticator;
    private volatile AutoCloseable revocations;
    private volatile BrokerSettings settings;
    private volatile StorageSettings storageSettings = StorageSettings.defaults();
    private volatile StorageMonitor storage;
    private volatile ActiveMQServer server;
    private final IdentityBindings bindings = new IdentityBindings(this::mqttSessionKept);
    private final BrokerQueues queues = new BrokerQueues(() -> server);
    private final ServerStore direct = new ServerStore(() -> server);
    private final Set<ActiveMQServerPlugin> plugins = new CopyOnWriteArraySet<>();

    @Activate
    public EmbeddedBroker(BundleContext context, Config config, Map<String, Object> properties,
            @Reference(target = "(component.name=org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolManagerFactory)")
            ProtocolManagerFactory<?> mqtt,
            @Reference(target = "(component.name=org.apache.activemq.artemis.protocol.amqp.broker.ProtonProtocolManagerFactory)")
            ProtocolManagerFactory<?> amqp) throws Exception {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data")),
                Path.of(Objects.requireNonNullElse(context.getProperty("karaf.etc"), "etc")), config, properties, mqtt,
                amqp);
    }

    /** A broker whose etc/ is beside its data/. */
    EmbeddedBroker(Path karafData, Config config, Map<String, Object> properties, ProtocolManagerFactory<?> mqtt,
            ProtocolManagerFactory<?> amqp) throws Exception {
        this(karafData, karafData.resolveSibling("etc"), config, properties, mqtt, amqp);
    }

    EmbeddedBroker(Path karafData, Path karafEtc, Config config, Map<String, Object> properties,
            ProtocolManagerFactory<?> mqtt, ProtocolManagerFactory<?> amqp) throws Exception {
        this.mqtt = mqtt;
        this.amqp = amqp;
        this.karafData = karafData;
        this.karafEtc = karafEtc;
        BrokerSettings initial;
        try {
            initial = BrokerSettings.from(config, properties, karafData, karafEtc);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; starting with the default broker configuration instead", e.getMessage());
            initial = BrokerSettings.from(defaults(), Map.of(), karafData, karafEtc);
        }
        Optional<String> refused = BrokerConfiguration.plainRefusal(initial);
        if (refused.isPresent()) {
            LOG.error("The broker does not start: {}", refused.get());
            throw new IllegalStateException(refused.get());
        }
        storageSettings = StorageSettings.fromOr(config, properties, storageSettings);
        start(initial);
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) throws Exception {
        BrokerSettings next;
        try {
            next = BrokerSettings.from(config, properties, karafData, karafEtc);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the broker keeps its current configuration", e.getMessage());
            return;
        }
        Optional<String> refused = BrokerConfiguration.plainRefusal(next);
        if (refused.isPresent()) {
            LOG.error("{}; the broker keeps its current configuration", refused.get());
            return;
        }
        synchronized (this) {
            StorageSettings previousStorage = storageSettings;
            storageSettings = StorageSettings.fromOr(config, properties, previousStorage);
            boolean sameScan = storageSettings.diskScanPeriodMs() == previousStorage.diskScanPeriodMs();
            if (sameScan && StorageSettings.onlyDiskUsageDiffers(settings, next) && storage != null) {
                // A new limit applies at once and without a restart, as when space returns.
                storage.limit(next.maxDiskUsage());
                settings = next;
                return;
            }
            if (next.equals(settings) && sameScan) {
                return;
            }
            LOG.info("Broker configuration changed; restarting the broker");
            stopServer();
            start(next);
        }
    }

    @Deactivate
    synchronized void deactivate() throws Exception {
        stopServer();
    }

    /** Uses the authenticator, and closes the connections of the identities it revokes. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindAuthenticator(BrokerAuthenticator authenticator) {
        closeRevocations();
        this.authenticator = authenticator;
        this.revocations = authenticator.onRevoked(bindings::revoke);
    }

    synchronized void unbindAuthenticator(BrokerAuthenticator authenticator) {
        if (this.authenticator == authenticator) {
            closeRevocations();
            this.authenticator = null;
        }
    }

    private void closeRevocations() {
        AutoCloseable r = revocations;
        revocations = null;
        if (r != null) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("Stopping the authenticator's revocations: {}", e.toString());
            }
        }
    }

    /** @return whether the broker keeps an MQTT session (connected, or persistent) for the client id */
    private boolean mqttSessionKept(String clientId) {
        ActiveMQServer s = server;
        try {
            return s != null && MQTTStateManager.getInstance(s).getSessionStates().containsKey(clientId);
        } catch (Exception e) {
            return false;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindPlugin(ActiveMQServerPlugin plugin) {
        if (plugins.add(plugin) && server != null) {
            server.registerBrokerPlugin(plugin);
        }
    }

    synchronized void unbindPlugin(ActiveMQServerPlugin plugin) {
        if (plugins.remove(plugin) && server != null) {
            server.unRegisterBrokerPlugin(plugin);
        }
    }

    private synchronized void start(BrokerSettings s) throws Exception {
        long t0 = System.nanoTime();
        Supplier<Optional<BrokerAuthenticator>> auth = () -> Optional.ofNullable(authenticator);
        Supplier<ClientLimits> limits = () -> settings.limits();
        this.settings = s;
        Configuration c = BrokerConfiguration.of(s);
        c.setDiskScanPeriod((int) storageSettings.diskScanPeriodMs());
        ActiveMQServer created = ActiveMQServers.newActiveMQServer(c, ManagementFactory.getPlatformMBeanServer(),
                new OutpostSecurityManager(auth, bindings, limits), true);
        created.addProtocolManagerFactory(mqtt);
        created.addProtocolManagerFactory(amqp);
        created.start();
        created.getRemotingService().addIncomingInterceptor(new MqttClientLimits(created, bindings, auth, limits));
        plugins.forEach(created::registerBrokerPlugin);
        this.storage = StorageMonitor.watch(created, s.dataDirectory());
        this.server = created;
        this.settings = s;
        LOG.info("Broker '{}' started in {} ms: journal {}, acceptors in-VM{}{}{}{}", s.name(),
                (System.nanoTime() - t0) / 1_000_000, s.dataDirectory(), acceptor(" core", s.host(), s.corePort()),
                acceptor(" mqtt", s.host(), s.mqttPort()), acceptor(" amqp", s.host(), s.amqpPort()),
                s.tls() == null ? "" : ", TLS with " + s.tls().keyStore() + " (" + s.tls().source() + ")");
        if (s.tls() == null && s.networked() && !PlainTransport.isLoopback(s.host())) {
            LOG.warn("The broker's network acceptors listen without TLS on {} ({} = true in etc/{}.cfg): passwords"
                    + " cross the network in the clear", s.host(), PlainTransport.ALLOW_KEY, BrokerSettings.PID);
        }
    }

    private void stopServer() throws Exception {
        StorageMonitor m = storage;
        if (m != null) {
            m.close();
        }
        if (server != null) {
            ActiveMQServer stopping = server;
            plugins.forEach(stopping::unRegisterBrokerPlugin);
            server.stop();
            server = null;
        }
    }

    private static String acceptor(String name, String host, int port) {
        return port == 0 ? "" : "," + name + " " + host + ":" + port;
    }

    private static Config defaults() {
        return ConfigValues.defaults(Config.class);
    }

    @Override
    public ServerLocator createLocator() {
        return InVmLocator.create(IN_VM_URL, storageSettings.storeTimeout());
    }

    @Override
    public Optional<org.outpost.broker.api.DirectStore> directStore() {
        return Optional.of(direct);
    }

    @Override
    public StorageState storage() {
        StorageMonitor m = storage;
        return m == null ? StorageState.UNKNOWN : m.state();
    }

    @Override
    public Duration storeTimeout() {
        return storageSettings.storeTimeout();
    }

    @Override
    public Optional<String> acceptorUrl(String protocol) {
        BrokerSettings s = settings;
        int port = switch (protocol.toUpperCase(java.util.Locale.ROOT)) {
            case "CORE" -> s.corePort();
            case "MQTT" -> s.mqttPort();
            case "AMQP" -> s.amqpPort();
            default -> 0;
        };
        String host = s.host().equals("0.0.0.0") ? "127.0.0.1" : s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return port == 0 ? Optional.empty() : Optional.of((s.tls() == null ? "tcp://" : "ssl://") + host + ":" + port);
    }

    @Override
    public Optional<SSLSocketFactory> acceptorSocketFactory() {
        AcceptorTls tls = settings.tls();
        return tls == null ? Optional.empty() : Optional.of(tls.clientSocketFactory());
    }

    @Override
    public boolean hasSubscribers(String address) {
        return queues.hasSubscribers(address);
    }

    @Override
    public Optional<QueueStats> queueStats(String queue) {
        return queues.stats(queue);
    }

    @Override
    public long queueBytes(String queue) {
        return queues.bytes(queue);
    }

    @Override
    public Optional<QueueDepth> queueDepth(String queue) {
        return queues.depth(queue);
    }

    @Override
    public long dropOldest(String queue, long bytes) {
        return queues.dropOldest(queue, bytes);
    }
}
