/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.broker.api.Broker;
import org.outpost.downstream.api.ChildConnections;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.downstream.api.ChildScope;
import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.DeviceScope;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.GatewayTwins;
import org.outpost.twin.api.ModuleMethodEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's IoT Hub MQTT endpoint for its modules (edgeHub's MQTT head): an {@link IotHubServer} on TLS (the
 * gateway's server certificate) where modules connect with their own identities ({@link ModuleAuthenticator}); their
 * telemetry enters the routes ({@link RoutedTelemetry}), their inputs come from the routes' queues
 * ({@link QueuedInputs}), their twins are the gateway's copies ({@link TwinAdapter}), and the twins call their direct
 * methods through this component ({@link ModuleMethodEndpoint}). When the server certificate is renewed, the TLS
 * context is reloaded: new connections get the new certificate, open ones keep theirs until they reconnect. When a
 * module's identity is deleted or re-keyed ({@link ModuleIdentities#onRevoked}, the signal the gateway's broker acts on
 * too), its connections here are closed at once.
 *
 * <p>
 * The devices below the gateway connect here too (IoT Edge's transparent gateway and nested edge): they are checked
 * against the gateway's device scope ({@link ChildScope}, {@link ChildAuthenticator}), may use their own topics only
 * ({@link ChildAcl}), their telemetry enters the routes, and their twins, methods, cloud-to-device messages and
 * (child gateways') identity registry requests go through the {@link ChildRelay}. When the scope changes, the children
 * it no longer accepts are disconnected. {@link ChildConnections} tells who is connected ({@code edge:children}).
 */
@Component(service = {ModuleMethodEndpoint.class, ChildConnections.class}, immediate = true,
        configurationPid = EdgeHubEndpoint.PID)
@Designate(ocd = EdgeHubEndpoint.Config.class)
public final class EdgeHubEndpoint implements ModuleMethodEndpoint, ChildConnections {

    static final String PID = "org.outpost.edgehub";

    @ObjectClassDefinition(name = "Outpost edgeHub endpoint",
            description = "Where the gateway's modules connect with the IoT Hub MQTT contract (Azure IoT SDKs).")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port of MQTT over TLS (IoT Hub's and IoT Edge's 8883; 0 picks a free one,"
                + " -1 turns it off). It presents the gateway's server certificate (edge:ca prints its CA).")
        int tls_port() default 8883;

        @AttributeDefinition(description = "Port of plain MQTT, without TLS (0 picks a free one); -1, the default,"
                + " opens none. For tests and local debugging only: SAS tokens cross it in the clear. Off loopback it"
                + " refuses to start unless allow.plain.off.loopback is set.")
        int port() default -1;

        @AttributeDefinition(description = "Let the plain port listen on an address that is not loopback (a trusted"
                + " network only: SAS tokens cross it in the clear).")
        boolean allow_plain_off_loopback() default false;

        @AttributeDefinition(description = "Largest MQTT packet accepted, in KB (IoT Hub: 256).")
        int max_message_kb() default 256;

        @AttributeDefinition(description = "Failed authentications from one address within a minute after which it"
                + " is refused without a check until the oldest leaves the minute.")
        int auth_max_failures_per_minute() default 10;

        @AttributeDefinition(description = "Seconds a new connection may take to send CONNECT before it is closed.")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(description = "The longest a connection may be silent, in seconds: with keep-alive 0,"
                + " or a keep-alive whose one and a half periods are longer, it is closed after this.")
        int max_idle_seconds() default 600;

        @AttributeDefinition(description = "Seconds a client may leave unread what was sent to it (while it does not"
                + " read, nothing more is read from it nor sent to it) before it is closed.")
        int unwritable_timeout_seconds() default 60;

        @AttributeDefinition(description = "Open connections from one remote address; more are closed at once.")
        int max_connections_per_address() default 100;

        @AttributeDefinition(description = "Open connections in all; more are closed at once.")
        int max_connections() default 10000;

        @AttributeDefinition(description = "The hub's host name, which the SAS tokens of the devices below this"
                + " gateway name (the same as hub.host.name of org.outpost.identity); tokens naming no host are taken"
                + " too.")
        String hub_host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Port of MQTT over secure WebSockets (wss://<host>:<port>/$iothub/websocket,"
                + " subprotocol mqtt; the Azure IoT SDKs' MQTT_WS), with the TLS port's certificate; -1 turns it off."
                + " If it cannot be bound (443 needs root or CAP_NET_BIND_SERVICE), the error names this setting and"
                + " the TLS port works on.")
        int websocket_port() default 443;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHubEndpoint.class);

    private final ModuleIdentities identities;
    private final QueuedInputs inputs;
    private final ChildTracker children;
    private final MeasuredTwins measuredTwins;
    private final IotHubServer server;
    private final AutoCloseable renewals;
    private final AutoCloseable revocations;
    private final AutoCloseable scopeChanges;
    /** The scope the connected children were accepted under. */
    private volatile DeviceScope accepted;
    private volatile AutoCloseable metrics;

    @Activate
    public EdgeHubEndpoint(@Reference ModuleIdentities identities, @Reference GatewayCertificates certificates,
            @Reference Routing routing, @Reference Broker broker, @Reference GatewayTwins twins,
            @Reference ChildScope scope, @Reference ChildRelay relay, Config config) throws Exception {
        this.identities = identities;
        this.inputs = new QueuedInputs(broker, routing);
        Clock clock = Clock.systemUTC();
        this.children = new ChildTracker(identities::deviceId, relay, this::invokeChild, clock);
        ChildTwins childTwins = new ChildTwins(identities::deviceId, new TwinAdapter(twins, identities::deviceId),
                relay);
        this.measuredTwins = new MeasuredTwins(childTwins, identities::deviceId);
        this.accepted = scope.current().orElse(null);
        this.server = IotHubServer.builder(settings(config, certificates))
                .authenticator(new GatewayAuthenticator(identities::deviceId, new ModuleAuthenticator(identities,
                        clock), new ChildAuthenticator(scope::current, identities::deviceId, config.hub_host_name(),
                                clock)))
                .acl(new ChildAcl(identities::deviceId, scope::current))
                .telemetry(new RoutedTelemetry(routing, clock, children))
                .twins(measuredTwins).cloudToDevice(childTwins).connections(children)
                .identities(new ChildRegistry(identities::deviceId, scope, relay)).inputs(inputs).build();
        try {
            server.start();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            inputs.close();
            throw e;
        }
        this.renewals = certificates.onRenewal(this::reloadTls);
        this.revocations = identities.onRevoked(this::disconnect);
        this.scopeChanges = scope.onChange(this::scopeChanged);
    }

    /** Closes the connections of the children the new scope no longer accepts as they connected. */
    private void scopeChanged(DeviceScope next) {
        DeviceScope before = accepted;
        accepted = next;
        server.disconnect(id -> {
            boolean revoked = ScopeRevocations.revoked(before, next, identities.deviceId()).test(id);
            if (revoked) {
                LOG.info("Disconnecting child {}: the device scope (version {}) no longer accepts it as it"
                        + " connected (deleted, disabled, re-keyed or moved at the hub)", id, next.version());
            }
            return revoked;
        });
    }

    /** A direct method call from the hub, through the relay, to a child connected here. */
    private CompletionStage<MethodResult> invokeChild(Identity child, String method, String payload,
            Duration timeout) {
        return server.invokeConnected(child, method, payload, timeout).orElseGet(() -> CompletableFuture
                .completedFuture(MethodResult.error(404, child + " is not connected to this gateway")));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMetrics(Metrics m) {
        AutoCloseable a = m.measured("edgehub_children_connected", "gauge", children::connectedGauge);
        AutoCloseable b = m.measured("edgehub_child_messages_received_total", "counter", children::messagesCounter);
        AutoCloseable c = m.measured("edgehub_connected_clients", "gauge", children::clientsGauge);
        AutoCloseable d = m.measured("edgehub_client_connect_success_total", "counter",
                () -> children.connectionsCounter(false));
        AutoCloseable e = m.measured("edgehub_client_disconnect_total", "counter",
                () -> children.connectionsCounter(true));
        closeQuietly(metrics);
        measuredTwins.metrics(m);
        metrics = () -> {
            a.close();
            b.close();
            c.close();
            d.close();
            e.close();
        };
    }

    void unbindMetrics(Metrics m) {
        measuredTwins.metrics(null);
        closeQuietly(metrics);
        metrics = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Removing the children's metrics: {}", e.toString());
            }
        }
    }

    @Override
    public List<Connection> connected() {
        return children.connected();
    }

    /**
     * Closes the connections of a module of this gateway whose credentials stopped working (a module of the same name
     * of a child gateway is not this gateway's: its own scope says when it goes).
     */
    private void disconnect(String module) {
        server.disconnect(id -> id.kind() == Identity.Kind.MODULE && module.equals(id.moduleId()) && id.deviceId()
                .equals(identities.deviceId()));
    }

    /** @return the server's settings: the gateway's server key store, the configured ports and limits */
    static ServerSettings settings(Config config, GatewayCertificates certificates) {
        List<String> names = certificates.serverHostNames();
        return new ServerSettings("outpost-edgehub", config.host(), config.port(), names.isEmpty() ? config.host()
                : names.get(0), config.tls_port(), certificates.serverKeyStore(), new String(certificates
                        .serverKeyStorePassword()), Math.max(1, config.max_message_kb()) * 1024,
                config.auth_max_failures_per_minute(), "etc/" + PID + ".cfg")
                .withLimits(ServerSettings.ConnectionLimits.of(config.connect_timeout_seconds(),
                config.max_idle_seconds(), config.unwritable_timeout_seconds(), config.max_connections_per_address(),
                config.max_connections())).withPlainOffLoopback(config.allow_plain_off_loopback())
                .withWebSocketPort(config.websocket_port());
    }

    private void reloadTls() {
        try {
            server.reloadTls();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("The renewed server certificate cannot be loaded ({}); the endpoint keeps the old one until it"
                    + " expires. Check the gateway's certificates (edge:ca)", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        scopeChanges.close();
        closeQuietly(metrics);
        revocations.close();
        renewals.close();
        server.close();
        inputs.close();
    }

    /** @return the port of plain MQTT, -1 if there is none */
    int port() {
        return server.port();
    }

    /** @return the port of MQTT over TLS, -1 if there is none */
    int tlsPort() {
        return server.tlsPort();
    }

    /** @return the port of MQTT over WebSockets, -1 if there is none */
    int webSocketPort() {
        return server.webSocketPort();
    }

    @Override
    public boolean serves(String module) {
        return ModuleNames.isValid(module) && server.connected(Identity.module(identities.deviceId(), module));
    }

    @Override
    public CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson,
            Duration timeout) {
        if (!ModuleNames.isValid(module)) {
            return CompletableFuture.completedFuture(new MethodHandler.Result(404, MethodResult.message("module '"
                    + module + "' is not connected")));
        }
        String payload = payloadJson == null || payloadJson.isBlank() ? "null" : payloadJson;
        return server.invoke(Identity.module(identities.deviceId(), module), method, payload, timeout)
                .thenApply(r -> new MethodHandler.Result(r.status(), r.payload()));
    }
}
