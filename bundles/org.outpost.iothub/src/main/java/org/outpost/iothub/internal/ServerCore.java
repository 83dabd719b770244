/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityAuthenticator;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.MethodRelay;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TopicAcl;
import org.outpost.iothub.spi.TwinService;
import org.outpost.commons.PlainTransport;
import org.outpost.protocol.AuthLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link org.outpost.iothub.IotHubServer} does: listens (plain and TLS), keeps the sessions, sends desired
 * patches to the connected identities and calls their methods.
 */
public final class ServerCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    private final ServerSettings settings;
    private final Services services;
    private final MethodRelay relay;
    private final SessionRegistry<MqttSession> sessions;
    private final Transport transport;
    /** The open connections of both listeners, and the caps on them. */
    private final ConnectionCap cap;
    /** The TLS context new connections get; replaced by {@link #reloadTls}. */
    private final AtomicReference<SslContext> tls = new AtomicReference<>();
    private volatile Channel channel;
    private volatile Channel tlsChannel;
    private volatile Channel webSocketChannel;
    private volatile boolean closed;
    private Subscription desired = () -> {
    };

    public ServerCore(ServerSettings settings, IdentityAuthenticator authenticator, TopicAcl acl,
            TelemetrySink telemetry, TwinService twins, MethodRelay relay, CloudToDeviceSource cloudToDevice,
            InputSource inputs, IdentityRegistry identities, ConnectionListener connections) {
        this.settings = settings;
        this.relay = relay;
        this.sessions = new SessionRegistry<>(connections);
        this.services = new Services(settings.hostName(), authenticator, acl, telemetry, twins, cloudToDevice,
                inputs, identities, sessions, new AuthLimiter(settings.authMaxFailuresPerMinute(), Duration.ofMinutes(1),
                        Clock.systemUTC()));
        this.transport = new Transport(settings.name());
        this.cap = new ConnectionCap(settings.limits().maxConnectionsPerAddress(), settings.limits().maxConnections(),
                settings.configurationFile(), System::nanoTime);
    }

    /**
     * Listens; closes what it opened and throws if it cannot. A plain port off loopback is refused before anything
     * listens, unless the settings allow it ({@link PlainTransport}).
     */
    public void start() throws IOException, GeneralSecurityException {
        try {
            if (settings.port() >= 0) {
                new PlainTransport().checkListener("the IoT Hub endpoint's plain MQTT port", settings.host(),
                        settings.port(), settings.allowPlainOffLoopback(), settings.configurationFile(),
                        "set port = -1 (clients use tls.port)");
            }
            channel = settings.port() < 0 ? null : transport.listen(settings.host(), settings.port(), null,
                    settings.maxMessageBytes(), settings.limits(), cap, this::session, "change port in "
                            + settings.configurationFile());
            tls.set(TlsContexts.of(settings));
            listenTls();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            close();
            throw e;
        }
        desired = services.twins().onDesiredPatch(this::desiredPatch);
        LOG.info("IoT Hub endpoint listening{} as {}{}{}", channel == null ? "" : " on " + channel.localAddress(),
                settings.hostName(), tlsChannel == null ? "" : ", with TLS on " + tlsChannel.localAddress(),
                webSocketChannel == null ? "" : ", with MQTT over WebSockets on " + webSocketChannel.localAddress()
                        + WebSocketFraming.PATH);
    }

    private synchronized void listenTls() {
        if (tlsChannel == null && tls.get() != null && !closed) {
            tlsChannel = transport.listen(settings.host(), settings.tlsPort(), tls::get, settings.maxMessageBytes(),
                    settings.limits(), cap, this::session, "change tls.port in " + settings.configurationFile());
        }
        listenWebSocket();
    }

    /**
     * Listens for MQTT over secure WebSockets, with the TLS context. A port that cannot be bound (taken, or 443
     * without the privilege) is logged as an error naming the setting, and the other listeners go on: devices that
     * use MQTT over TLS are not kept out by a WebSocket port.
     */
    private void listenWebSocket() {
        if (webSocketChannel != null || settings.webSocketPort() < 0 || tls.get() == null || closed) {
            return;
        }
        try {
            webSocketChannel = transport.listen(settings.host(), settings.webSocketPort(), tls::get, true,
                    settings.maxMessageBytes(), settings.limits(), cap, this::session, "change websocket.port in "
                            + settings.configurationFile() + " (a port above 1023 needs no privilege; -1 turns"
                            + " MQTT over WebSockets off)");
        } catch (IllegalStateException e) {
            if (settings.webSocketPort() > 0 && settings.webSocketPort() < 1024 && String.valueOf(e.getMessage())
                    .contains("Permission denied")) {
                // The default 443 where the gateway runs without the privilege: a choice to make, not a failure.
                LOG.warn("MQTT over WebSockets is off: {}, or give the JVM CAP_NET_BIND_SERVICE. MQTT over TLS works"
                        + " on", e.getMessage());
            } else {
                LOG.error("MQTT over WebSockets is off: {}. MQTT over TLS works on", e.getMessage());
            }
        }
    }

    private MqttSession session() {
        return new MqttSession(services, settings.limits().maxIdle());
    }

    /**
     * Reads the key store again: connections made after this get its certificate, open ones keep theirs. Starts the
     * TLS listener if there was no key store before.
     */
    public void reloadTls() throws IOException, GeneralSecurityException {
        SslContext next = TlsContexts.of(settings);
        if (next == null) {
            return;
        }
        tls.set(next);
        listenTls();
        LOG.info("The IoT Hub endpoint serves the certificate in {} to new connections", settings.tlsKeystore());
    }

    public int port() {
        Channel c = channel;
        return c == null ? -1 : ((InetSocketAddress) c.localAddress()).getPort();
    }

    public int tlsPort() {
        Channel c = tlsChannel;
        return c == null ? -1 : ((InetSocketAddress) c.localAddress()).getPort();
    }

    public int webSocketPort() {
        Channel c = webSocketChannel;
        return c == null ? -1 : ((InetSocketAddress) c.localAddress()).getPort();
    }

    public CompletionStage<MethodResult> invoke(Identity identity, String method, String payload, Duration timeout) {
        return invokeConnected(identity, method, payload, timeout).orElseGet(() -> relay.invoke(identity, method,
                payload, timeout));
    }

    public Optional<CompletionStage<MethodResult>> invokeConnected(Identity identity, String method, String payload,
            Duration timeout) {
        return sessions.session(identity).map(s -> s.invoke(method, payload, timeout));
    }

    public boolean connected(Identity identity) {
        return sessions.session(identity).isPresent();
    }

    public void disconnect(Predicate<Identity> which) {
        sessions.close(which);
    }

    private void desiredPatch(Identity identity, long version, String patch) {
        sessions.session(identity).ifPresent(s -> s.desiredPatch(version, patch));
    }

    @Override
    public void close() {
        closed = true;
        desired.close();
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (tlsChannel != null) {
            tlsChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (webSocketChannel != null) {
            webSocketChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        sessions.close(identity -> true);
        transport.close();
    }
}
