/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.broker.api.Broker;
import org.outpost.hub.api.Methods;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;

/**
 * The hub's IoT Hub MQTT endpoint: devices connect with the IoT Hub MQTT contract (MQTT 3.1.1, QoS 1, SAS token or
 * device key as password) and get their own twin and method topics, which a shared broker cannot give them (every
 * device subscribes to the same {@code $iothub/twin/res/#}). An {@link IotHubServer} with the hub's stores behind its
 * SPIs: identities are the registry's devices ({@link IdentityCheck}, {@link DeviceConnections}); telemetry is
 * stored in the hub's broker before it is acknowledged ({@link BrokerTelemetry}), where the telemetry ingestion reads
 * it; twins are the {@link TwinStore}'s ({@link HubTwins}); cloud-to-device messages the {@link C2dStore}'s
 * ({@link HubCloudToDevice}); and methods for devices on other hub nodes go through the database
 * ({@link RemoteMethods}). Gateways register their modules' identities through it ({@link HubModuleRegistry}). A
 * deleted or disabled device is disconnected at once, with its module identities; a device whose keys or thumbprints
 * change is disconnected (with its {@code $edgeAgent} and {@code $edgeHub}, which use its credentials) to authenticate
 * again; so is a module identity replaced or deleted (on whichever hub node it is connected).
 */
@Component(service = Methods.class, immediate = true, configurationPid = IotHubEndpoint.PID)
@Designate(ocd = IotHubEndpoint.Config.class)
public final class IotHubEndpoint implements Methods {

    static final String PID = "org.outpost.hub.iothub";

    @ObjectClassDefinition(name = "Outpost hub IoT Hub endpoint",
            description = "Where devices connect with the IoT Hub MQTT contract.")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port of plain MQTT, without TLS (0 picks a free one, -1 turns it off)."
                + " Off loopback it refuses to start unless allow.plain.off.loopback is set.")
        int port() default 1885;

        @AttributeDefinition(description = "Let the plain port listen on an address that is not loopback (a trusted"
                + " network only: SAS tokens cross it in the clear; device keys as passwords are refused there).")
        boolean allow_plain_off_loopback() default false;

        @AttributeDefinition(description = "The hub's host name, as devices name it in their user name and SAS"
                + " token resource (<host.name>/devices/<id>).")
        String host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Port of the TLS endpoint (MQTT over TLS, as IoT Hub's 8883; 0 picks a free"
                + " one, -1 turns it off). It listens only when tls.keystore exists.")
        int tls_port() default 8883;

        @AttributeDefinition(description = "PKCS#12 key store with the hub's private key and certificate chain (its"
                + " names, DNS or IP, in the subject alternative names), in ${karaf.etc} unless absolute.")
        String tls_keystore() default "hub-tls.p12";

        @AttributeDefinition(description = "Password of tls.keystore (and of its key).", type = AttributeType.PASSWORD)
        String tls_keystore_password() default "";

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
        int max_connections_per_address() default 1000;

        @AttributeDefinition(description = "Open connections in all; more are closed at once.")
        int max_connections() default 10000;

        @AttributeDefinition(description = "Seconds a device's CONNECT (or twin request) waits for the hub database;"
                + " when it does not answer in time, connections are refused with 'server unavailable' at once until"
                + " it answers again.")
        int database_wait_seconds() default 5;
    }

    /** How often the database is checked while it does not answer. */
    private static final Duration DATABASE_PROBE = Duration.ofSeconds(2);
    private static final Pattern METHOD_NAME = Pattern.compile("[^/?#+\\s]{1,100}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceStore devices;
    private final BrokerTelemetry telemetry;
    private final IotHubServer server;
    /** Methods for devices connected to another hub node. */
    private final RemoteMethods remoteMethods;
    private final Runnable stopListening;
    /** Bounds the database work of the session threads. */
    private final DatabaseGate gate;

    @Activate
    public IotHubEndpoint(@Reference DeviceStore devices, @Reference ModuleStore modules, @Reference TwinStore twins,
            @Reference C2dStore cloudToDevice, @Reference Broker broker, @Reference HubDatabase db,
            @Reference IdentityCheck identities, Config config) throws Exception {
        this.devices = devices;
        this.telemetry = new BrokerTelemetry(broker);
        this.gate = new DatabaseGate(db, Duration.ofSeconds(Math.max(1, config.database_wait_seconds())),
                DATABASE_PROBE, System::nanoTime);
        this.server = IotHubServer.builder(settings(config)).authenticator(GatedSpis.authenticator(gate,
                identities)).acl(new HubAcl(devices)).connections(new DeviceConnections(devices, modules))
                .telemetry(telemetry).twins(GatedSpis.twins(gate, new HubTwins(twins)))
                .cloudToDevice(GatedSpis.cloudToDevice(gate, new HubCloudToDevice(cloudToDevice)))
                .methods(this::callElsewhere).identities(GatedSpis.identities(gate, new HubModuleRegistry(devices,
                        modules))).build();
        this.remoteMethods = new RemoteMethods(db, server::invokeConnected);
        try {
            server.start();
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            remoteMethods.close();
            telemetry.close();
            gate.close();
            throw e;
        }
        Consumer<String> disconnect = id -> server.disconnect(identity -> identity.deviceId().equals(id));
        Runnable stopDelete = devices.onDelete(disconnect);
        Runnable stopDisable = devices.onDisable(disconnect);
        Runnable stopRekey = devices.onRekey(id -> server.disconnect(identity -> IdentityCheck.usesDeviceCredentials(
                identity, id)));
        Runnable stopRevoked = modules.onRevoked(module -> server.disconnect(module::equals));
        // Connected on behalf of a gateway above it that was disabled, deleted or re-keyed: authenticate again.
        Runnable stopBelow = devices.onReauthenticate(disconnect);
        this.stopListening = () -> {
            stopDelete.run();
            stopDisable.run();
            stopRekey.run();
            stopRevoked.run();
            stopBelow.run();
        };
    }

    /** @return the server's settings from the configuration: the key store in ${karaf.etc} unless absolute */
    static ServerSettings settings(Config config) {
        Path keystore = Path.of(System.getProperty("karaf.etc", "etc")).resolve(config.tls_keystore());
        return new ServerSettings("outpost-iothub", config.host(), config.port(), config.host_name(),
                config.tls_port(), keystore, config.tls_keystore_password(), Math.max(1, config.max_message_kb())
                        * 1024, config.auth_max_failures_per_minute(), "etc/" + PID + ".cfg")
                .withLimits(ServerSettings.ConnectionLimits.of(config.connect_timeout_seconds(),
                config.max_idle_seconds(), config.unwritable_timeout_seconds(), config.max_connections_per_address(),
                config.max_connections())).withPlainOffLoopback(config.allow_plain_off_loopback());
    }

    /** @return the plain MQTT port it listens on */
    int port() {
        return server.port();
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
        remoteMethods.close();
        server.close();
        telemetry.close();
        gate.close();
    }

    private CompletionStage<MethodResult> callElsewhere(Identity identity, String method, String payload,
            Duration timeout) {
        return remoteMethods.invoke(identity, method, payload, timeout);
    }

    @Override
    public CompletionStage<Result> invoke(String deviceId, String moduleId, String method, String payloadJson,
            Duration timeout) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
        }
        if (method == null || !METHOD_NAME.matcher(method).matches()) {
            throw new IllegalArgumentException("method name '" + method + "' is not valid: 1 to 100 characters,"
                    + " without '/', '?', '#', '+' or spaces");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout.toSeconds() + " s is out of range: "
                    + MIN_TIMEOUT.toSeconds() + " to " + MAX_TIMEOUT.toSeconds() + " s");
        }
        String payload = payloadJson == null || payloadJson.isBlank() ? "null" : payloadJson;
        int size = payload.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the payload has " + size + " bytes; at most " + MAX_PAYLOAD_BYTES
                    + " are allowed");
        }
        try {
            JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the payload is not JSON: " + e.getMessage());
        }
        Identity identity;
        try {
            identity = Identity.of(deviceId, moduleId);
        } catch (IllegalArgumentException e) {
            // No such identity can connect.
            return CompletableFuture.completedFuture(new Result(404, MethodResult.message(deviceId + "/" + moduleId
                    + " is not connected")));
        }
        return server.invoke(identity, method, payload, timeout).thenApply(r -> new Result(r.status(), r.payload()));
    }
}
