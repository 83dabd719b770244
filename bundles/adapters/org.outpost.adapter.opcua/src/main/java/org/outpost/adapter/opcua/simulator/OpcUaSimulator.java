/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OPC UA server (Eclipse Milo) with a few changing tags ({@link SimulatedTag}: Temperature, Pressure, Counter under
 * {@code ns=2;s=<name>}), one endpoint without security (policy None, mode None) and anonymous access only. For tests
 * and demos: {@code try (OpcUaSimulator sim = OpcUaSimulator.start(OpcUaSimulator.settings().port(4840))) {...}}.
 */
public final class OpcUaSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaSimulator.class);
    private static final long TIMEOUT_SECONDS = 30;
    private static final String APPLICATION_URI = "urn:outpost:opcua:simulator";

    private final Settings settings;
    private final OpcUaServer server;
    private final SimulatorNamespace namespace;
    private final ScheduledExecutorService ticker;
    private final AtomicLong ticks = new AtomicLong();
    private final long startNanos = System.nanoTime();

    private OpcUaSimulator(Settings settings) {
        this.settings = settings;
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(settings.bindAddress)
                .setBindPort(settings.port)
                .setHostname(settings.hostname())
                .setPath("")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setProductUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english("Outpost OPC UA simulator"))
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
        server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(
                OpcTcpServerTransportConfig.newBuilder().build()));
        // Index 1 is the server's own namespace by convention, so that the tags are ns=2 as in most servers.
        server.getNamespaceTable().add(APPLICATION_URI);
        namespace = new SimulatorNamespace(server);
        namespace.startup();
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "opcua-simulator-" + settings.port);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Settings with the defaults: bind 127.0.0.1, port 4840, a new value every 500 ms. */
    public static Settings settings() {
        return new Settings();
    }

    /**
     * Starts a simulator: binds the port, then updates the tags every interval.
     *
     * @throws IllegalStateException when the server cannot start (the port is taken, the address is not local...),
     *                               naming the endpoint
     */
    public static OpcUaSimulator start(Settings settings) {
        OpcUaSimulator simulator = new OpcUaSimulator(settings);
        try {
            simulator.server.startup().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            simulator.close();
            throw new IllegalStateException("Interrupted while starting the OPC UA simulator on "
                    + simulator.endpointUrl(), e);
        } catch (ExecutionException | TimeoutException e) {
            simulator.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("The OPC UA simulator could not start on " + settings.bindAddress + ":"
                    + settings.port + " (" + cause + "); choose a free port or a local bind address (in the gateway: 'port'"
                    + " and 'bind.address' of etc/org.outpost.adapter.opcua.simulator.cfg)", cause);
        }
        simulator.tick();
        long interval = settings.interval.toMillis();
        simulator.ticker.scheduleAtFixedRate(simulator::tick, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("OPC UA simulator listening on {} (bound to {}), tags {} updated every {} ms",
                simulator.endpointUrl(), settings.bindAddress, simulator.nodeIds(), interval);
        return simulator;
    }

    private void tick() {
        try {
            namespace.update(ticks.incrementAndGet(), (System.nanoTime() - startNanos) / 1e9);
        } catch (RuntimeException e) {
            LOG.warn("OPC UA simulator on {}: updating the tags failed", endpointUrl(), e);
        }
    }

    /** The endpoint URL clients connect to, e.g. {@code opc.tcp://127.0.0.1:4840}. */
    public String endpointUrl() {
        return "opc.tcp://" + settings.hostname() + ":" + settings.port;
    }

    public int port() {
        return settings.port;
    }

    /** The node id of a tag as text, e.g. {@code ns=2;s=Temperature}. */
    public String nodeId(SimulatedTag tag) {
        return namespace.nodeId(tag).toParseableString();
    }

    private String nodeIds() {
        StringBuilder text = new StringBuilder();
        for (SimulatedTag tag : SimulatedTag.values()) {
            text.append(text.length() == 0 ? "" : ", ").append(nodeId(tag));
        }
        return text.toString();
    }

    /** The tag's current value (Double for Temperature and Pressure, Long for Counter). */
    public Object value(SimulatedTag tag) {
        return namespace.value(tag);
    }

    /** How many updates were made so far (the Counter tag's value). */
    public long ticks() {
        return ticks.get();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            namespace.shutdown();
            server.shutdown().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("OPC UA simulator on {}: shutdown failed", endpointUrl(), e);
        }
    }

    /** Where and how often the simulator serves. */
    public static final class Settings {
        private String bindAddress = "127.0.0.1";
        private String hostname;
        private int port = 4840;
        private Duration interval = Duration.ofMillis(500);

        private Settings() {
        }

        /** The local address to listen on (default 127.0.0.1; 0.0.0.0 for all). */
        public Settings bindAddress(String value) {
            bindAddress = Objects.requireNonNull(value, "bindAddress");
            return this;
        }

        /** The host name in the endpoint URL the server advertises (default: the bind address, 127.0.0.1 for 0.0.0.0). */
        public Settings hostname(String value) {
            hostname = value;
            return this;
        }

        /** The TCP port (1-65535; default 4840). */
        public Settings port(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("OPC UA simulator port " + value + " is not in 1-65535");
            }
            port = value;
            return this;
        }

        /** How often the tags change (at least 10 ms; default 500 ms). */
        public Settings interval(Duration value) {
            if (value == null || value.toMillis() < 10) {
                throw new IllegalArgumentException("OPC UA simulator interval " + value + " is under 10 ms");
            }
            interval = value;
            return this;
        }

        String hostname() {
            if (hostname != null && !hostname.isBlank()) {
                return hostname;
            }
            return "0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress;
        }
    }
}
