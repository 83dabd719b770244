/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.iothub.internal.ServerCore;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.MethodRelay;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.iothub.spi.TwinService;

/**
 * An IoT Hub MQTT endpoint (MQTT 3.1.1, QoS 0 and 1, over TCP and TLS), as the IoT Hub device contract and the Azure
 * IoT SDKs expect it (docs/protocol.md): identities connect with a SAS token, a key or a TLS client certificate, get
 * their own twin and method topics and their cloud-to-device messages, and send telemetry. Its user says who may
 * connect and where things go with the {@link org.outpost.iothub.spi} interfaces, and owns its life: a DS component
 * {@link #builder builds} one from its configuration, {@link #start starts} it when activated and {@link #close
 * closes} it when deactivated. Not a service itself.
 */
@ProviderType
public final class IotHubServer implements AutoCloseable {

    private final ServerCore core;

    private IotHubServer(ServerCore core) {
        this.core = core;
    }

    /** @return a builder of a server with these settings */
    public static Builder builder(ServerSettings settings) {
        return new Builder(settings);
    }

    /**
     * Listens on its port (unless it is -1), and on its TLS port if TLS is on and the key store exists, and then on
     * its WebSocket port if it has one (a WebSocket port that cannot be bound is logged as an error naming the
     * setting, and does not stop the server).
     *
     * @throws IllegalStateException if a port is taken or the key store cannot be read (saying which setting to
     *             change); what was opened is closed again
     */
    public void start() throws IOException, GeneralSecurityException {
        core.start();
    }

    /** @return the port it listens on, or -1 if it has no plain MQTT listener */
    public int port() {
        return core.port();
    }

    /**
     * Reads the TLS key store again, after its certificate was renewed: connections made from now on get the new
     * certificate, open connections keep theirs. Starts the TLS listener if it had no key store until now.
     *
     * @throws IllegalStateException if the key store cannot be read (the old certificate stays)
     */
    public void reloadTls() throws IOException, GeneralSecurityException {
        core.reloadTls();
    }

    /** @return the port of its TLS endpoint, or -1 if it has none */
    public int tlsPort() {
        return core.tlsPort();
    }

    /**
     * @return the port of its MQTT over secure WebSockets endpoint ({@code wss://host:port/$iothub/websocket}), or -1
     *         if it has none (off, TLS off, or its port could not be bound: logged as an error)
     */
    public int webSocketPort() {
        return core.webSocketPort();
    }

    /**
     * Calls a direct method on an identity: on its connection here, or through the {@link MethodRelay} if it has
     * none here.
     *
     * @param payload the JSON payload (checked by the caller)
     * @return completes with the answer: the identity's, or 404 (not connected, or not subscribed to methods) or 504
     *         (no answer within the timeout); never exceptionally
     */
    public CompletionStage<MethodResult> invoke(Identity identity, String method, String payload, Duration timeout) {
        return core.invoke(identity, method, payload, timeout);
    }

    /**
     * @return the call, if the identity is connected here (a relay of another server asks this); empty if it is not
     */
    public Optional<CompletionStage<MethodResult>> invokeConnected(Identity identity, String method, String payload,
            Duration timeout) {
        return core.invokeConnected(identity, method, payload, timeout);
    }

    /** @return whether the identity (by its id) is connected here */
    public boolean connected(Identity identity) {
        return core.connected(identity);
    }

    /** Closes the connections of the identities {@code which} names (a deleted or disabled device, say). */
    public void disconnect(Predicate<Identity> which) {
        core.disconnect(which);
    }

    /** Stops listening, closes every connection and stops its threads. */
    @Override
    public void close() {
        core.close();
    }

    /** Makes a server: an authenticator, a telemetry sink and a twin service are needed, the rest has defaults. */
    public static final class Builder {

        private final ServerSettings settings;
        private IdentityAuthenticator authenticator;
        private TopicAcl acl = new IotHubAcl();
        private TelemetrySink telemetry;
        private TwinService twins;
        private MethodRelay methods = MethodRelay.NOWHERE;
        private CloudToDeviceSource cloudToDevice = CloudToDeviceSource.NONE;
        private ConnectionListener connections = ConnectionListener.NONE;
        private InputSource inputs = InputSource.NONE;
        private IdentityRegistry identities = IdentityRegistry.NONE;

        private Builder(ServerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Who may connect (needed). */
        public Builder authenticator(IdentityAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** Which topics an identity may use; {@link IotHubAcl} unless given. */
        public Builder acl(TopicAcl acl) {
            this.acl = Objects.requireNonNull(acl, "acl");
            return this;
        }

        /** Where telemetry goes (needed). */
        public Builder telemetry(TelemetrySink telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        /** Where twins are (needed). */
        public Builder twins(TwinService twins) {
            this.twins = twins;
            return this;
        }

        /** Who calls identities not connected here; {@link MethodRelay#NOWHERE} unless given. */
        public Builder methods(MethodRelay methods) {
            this.methods = Objects.requireNonNull(methods, "methods");
            return this;
        }

        /** Where cloud-to-device messages wait; {@link CloudToDeviceSource#NONE} unless given. */
        public Builder cloudToDevice(CloudToDeviceSource cloudToDevice) {
            this.cloudToDevice = Objects.requireNonNull(cloudToDevice, "cloudToDevice");
            return this;
        }

        /** Where the messages for modules' inputs wait (a gateway's routes); {@link InputSource#NONE} unless given. */
        public Builder inputs(InputSource inputs) {
            this.inputs = Objects.requireNonNull(inputs, "inputs");
            return this;
        }

        /** Where gateways register their modules' identities; {@link IdentityRegistry#NONE} unless given. */
        public Builder identities(IdentityRegistry identities) {
            this.identities = Objects.requireNonNull(identities, "identities");
            return this;
        }

        /** Who hears of connections; {@link ConnectionListener#NONE} unless given. */
        public Builder connections(ConnectionListener connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
            return this;
        }

        /**
         * @return the server, with its threads but not listening yet ({@link IotHubServer#start})
         * @throws IllegalStateException if the authenticator, the telemetry sink or the twin service is missing
         */
        public IotHubServer build() {
            if (authenticator == null || telemetry == null || twins == null) {
                throw new IllegalStateException("an IoT Hub server needs an authenticator, a telemetry sink and a"
                        + " twin service");
            }
            return new IotHubServer(new ServerCore(settings, authenticator, acl, telemetry, twins, methods,
                    cloudToDevice, inputs, identities, connections));
        }
    }
}
