/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link IotHubServer} listens.
 *
 * @param name what it is called in thread names ({@code <name>-accept}, {@code <name>}, {@code <name>-session})
 * @param host the address to listen on
 * @param port the plain MQTT port (0 picks a free one, -1 turns plain MQTT off); off loopback it refuses to start
 *            unless {@code allowPlainOffLoopback}
 * @param hostName its host name, as clients name it in SAS token resources
 * @param tlsPort the MQTT over TLS port (0 picks a free one, -1 turns TLS off)
 * @param tlsKeystore the PKCS#12 key store with its key and certificate chain; TLS is off while it does not exist
 * @param tlsKeystorePassword the key store's (and key's) password
 * @param maxMessageBytes the largest MQTT packet taken
 * @param authMaxFailuresPerMinute failed authentications from one address within a minute after which it is refused
 *            without a check until the oldest leaves the minute
 * @param configurationFile where its user configures it, named in errors ({@code etc/org.outpost.hub.iothub.cfg})
 * @param limits how long and how many connections it keeps, and how much it buffers for each
 * @param allowPlainOffLoopback whether the plain port may listen on an address that is not loopback (a trusted
 *            network: {@code allow.plain.off.loopback}); a key as the password is still refused there
 * @param webSocketPort the port of MQTT over secure WebSockets ({@code wss://host:port/$iothub/websocket},
 *            subprotocol {@code mqtt}, as the Azure IoT SDKs' {@code MQTT_WS} transport connects), with the TLS
 *            port's certificate (0 picks a free one, -1 turns it off; off too while TLS is off)
 */
public record ServerSettings(String name, String host, int port, String hostName, int tlsPort, Path tlsKeystore,
        String tlsKeystorePassword, int maxMessageBytes, int authMaxFailuresPerMinute, String configurationFile,
        ConnectionLimits limits, boolean allowPlainOffLoopback, int webSocketPort) {

    /** Settings without MQTT over WebSockets. */
    public ServerSettings(String name, String host, int port, String hostName, int tlsPort, Path tlsKeystore,
            String tlsKeystorePassword, int maxMessageBytes, int authMaxFailuresPerMinute, String configurationFile,
            ConnectionLimits limits, boolean allowPlainOffLoopback) {
        this(name, host, port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword, maxMessageBytes,
                authMaxFailuresPerMinute, configurationFile, limits, allowPlainOffLoopback, -1);
    }

    /** Settings whose plain port must be on loopback. */
    public ServerSettings(String name, String host, int port, String hostName, int tlsPort, Path tlsKeystore,
            String tlsKeystorePassword, int maxMessageBytes, int authMaxFailuresPerMinute, String configurationFile,
            ConnectionLimits limits) {
        this(name, host, port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword, maxMessageBytes,
                authMaxFailuresPerMinute, configurationFile, limits, false);
    }

    /** Settings with the {@link ConnectionLimits#DEFAULTS default connection limits}. */
    public ServerSettings(String name, String host, int port, String hostName, int tlsPort, Path tlsKeystore,
            String tlsKeystorePassword, int maxMessageBytes, int authMaxFailuresPerMinute, String configurationFile) {
        this(name, host, port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword, maxMessageBytes,
                authMaxFailuresPerMinute, configurationFile, ConnectionLimits.DEFAULTS);
    }

    public ServerSettings {
        Objects.requireNonNull(name, "name");
        limits = limits == null ? ConnectionLimits.DEFAULTS : limits;
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        tlsKeystorePassword = tlsKeystorePassword == null ? "" : tlsKeystorePassword;
        maxMessageBytes = Math.max(1, maxMessageBytes);
        authMaxFailuresPerMinute = Math.max(1, authMaxFailuresPerMinute);
    }

    /** @return these settings with other connection limits */
    public ServerSettings withLimits(ConnectionLimits other) {
        return new ServerSettings(name, host, port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword,
                maxMessageBytes, authMaxFailuresPerMinute, configurationFile, other, allowPlainOffLoopback,
                webSocketPort);
    }

    /** @return these settings, with the plain port allowed off loopback or not */
    public ServerSettings withPlainOffLoopback(boolean allowed) {
        return new ServerSettings(name, host, port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword,
                maxMessageBytes, authMaxFailuresPerMinute, configurationFile, limits, allowed, webSocketPort);
    }

    /** @return these settings with MQTT over secure WebSockets on this port (-1: off) */
    public ServerSettings withWebSocketPort(int port) {
        return new ServerSettings(name, host, this.port, hostName, tlsPort, tlsKeystore, tlsKeystorePassword,
                maxMessageBytes, authMaxFailuresPerMinute, configurationFile, limits, allowPlainOffLoopback, port);
    }

    /**
     * What a server allows each connection, so that no client can hold its memory or its sockets: durations below one
     * millisecond and counts below one are raised to one, and the low water mark is at most the high one.
     *
     * @param connectTimeout how long a new connection may take to send CONNECT before it is closed
     * @param maxIdle the longest a connection may be silent: with keep-alive 0 (which MQTT lets mean "never"), or a
     *            keep-alive whose one and a half periods are longer, it is closed after this
     * @param unwritableTimeout how long a client may leave unread what was sent to it (its outbound buffer above the
     *            high water mark) before it is closed
     * @param maxConnectionsPerAddress open connections from one remote address; more are closed at once
     * @param maxConnections open connections in all; more are closed at once
     * @param writeBufferLowBytes outbound bytes below which a connection is writable again
     * @param writeBufferHighBytes outbound bytes above which a connection is not writable: the server stops reading
     *            from it and stops asking for its cloud-to-device and input messages until it is writable again
     */
    public record ConnectionLimits(Duration connectTimeout, Duration maxIdle, Duration unwritableTimeout,
            int maxConnectionsPerAddress, int maxConnections, int writeBufferLowBytes, int writeBufferHighBytes) {

        /** 10 s to CONNECT, 600 s of silence, 60 s unwritable, 100 per address, 10000 in all, 32 to 128 KB. */
        public static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(10), Duration
                .ofSeconds(600), Duration.ofSeconds(60), 100, 10_000, 32 * 1024, 128 * 1024);

        public ConnectionLimits {
            connectTimeout = atLeastAMillisecond(connectTimeout, "connectTimeout");
            maxIdle = atLeastAMillisecond(maxIdle, "maxIdle");
            unwritableTimeout = atLeastAMillisecond(unwritableTimeout, "unwritableTimeout");
            maxConnectionsPerAddress = Math.max(1, maxConnectionsPerAddress);
            maxConnections = Math.max(1, maxConnections);
            writeBufferHighBytes = Math.max(1, writeBufferHighBytes);
            writeBufferLowBytes = Math.min(Math.max(0, writeBufferLowBytes), writeBufferHighBytes);
        }

        /**
         * @return the defaults with the durations in seconds and the counts as configured (the write buffer's water
         *         marks stay)
         */
        public static ConnectionLimits of(long connectTimeoutSeconds, long maxIdleSeconds, long unwritableSeconds,
                int maxConnectionsPerAddress, int maxConnections) {
            return new ConnectionLimits(Duration.ofSeconds(connectTimeoutSeconds), Duration.ofSeconds(maxIdleSeconds),
                    Duration.ofSeconds(unwritableSeconds), maxConnectionsPerAddress, maxConnections,
                    DEFAULTS.writeBufferLowBytes, DEFAULTS.writeBufferHighBytes);
        }

        private static Duration atLeastAMillisecond(Duration d, String what) {
            Objects.requireNonNull(d, what);
            return d.toMillis() < 1 ? Duration.ofMillis(1) : d;
        }
    }

    /** @return whether TLS is on (a TLS port); it listens only if the key store exists */
    public boolean tls() {
        return tlsPort >= 0;
    }

    /** Names no password. */
    @Override
    public String toString() {
        return "ServerSettings[" + name + " on " + host + ":" + port + (tls() ? ", TLS :" + tlsPort + " with "
                + tlsKeystore : "") + (webSocketPort >= 0 ? ", WebSockets :" + webSocketPort : "") + ", as " + hostName
                + "]";
    }
}
