/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.broker.api.Broker;
import org.outpost.hub.api.Methods;
import org.outpost.protocol.AuthLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's IoT Hub MQTT endpoint: devices connect with the IoT Hub MQTT contract (MQTT 3.1.1, QoS 1, SAS token or
 * device key as password) and get their own twin and method topics, which a shared broker cannot give them (every
 * device subscribes to the same {@code $iothub/twin/res/#}). Telemetry is stored in the hub's broker before it is
 * acknowledged, where the telemetry ingestion reads it as before.
 */
@Component(service = {IotHubServer.class, Methods.class}, immediate = true, configurationPid = IotHubServer.PID)
@Designate(ocd = IotHubServer.Config.class)
public final class IotHubServer implements Methods {

    static final String PID = "org.outpost.hub.iothub";

    @ObjectClassDefinition(name = "Outpost hub IoT Hub endpoint",
            description = "Where devices connect with the IoT Hub MQTT contract.")
    public @interface Config {
        @AttributeDefinition(description = "Address to listen on.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port (plain MQTT; 0 picks a free one).")
        int port() default 1885;

        @AttributeDefinition(description = "The hub's host name, as devices name it in their user name and SAS"
                + " token resource (<host.name>/devices/<id>).")
        String host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Port of the TLS endpoint (MQTT over TLS, as IoT Hub's 8883; 0 picks a free"
                + " one, -1 turns it off). It listens only when tls.keystore exists.")
        int tls_port() default 8883;

        @AttributeDefinition(description = "PKCS#12 key store with the hub's private key and certificate chain (its"
                + " names, DNS or IP, in the subject alternative names), in ${karaf.etc} unless absolute.")
        String tls_keystore() default "hub-tls.p12";

        @AttributeDefinition(description = "Password of tls.keystore (and of its key).", type =
                org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String tls_keystore_password() default "";

        @AttributeDefinition(description = "Largest MQTT packet accepted, in KB (IoT Hub: 256).")
        int max_message_kb() default 256;

        @AttributeDefinition(description = "Failed authentications from one address within a minute after which it"
                + " is refused without a check until the oldest leaves the minute.")
        int auth_max_failures_per_minute() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(IotHubServer.class);
    private static final java.util.regex.Pattern METHOD_NAME = java.util.regex.Pattern.compile("[^/?#+\\s]{1,100}");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final DeviceStore devices;
    private final TwinStore twins;
    private final C2dStore cloudToDevice;
    private final String hostName;
    private final AuthLimiter authLimiter;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("outpost-iothub-accept",
            true));
    private final EventLoopGroup workers = new NioEventLoopGroup(0, new DefaultThreadFactory("outpost-iothub", true));
    private final EventExecutorGroup sessionThreads = new DefaultEventExecutorGroup(16, new DefaultThreadFactory(
            "outpost-iothub-session", true));
    private final Channel channel;
    private final Channel tlsChannel;
    private final Map<String, DeviceSession> sessions = new ConcurrentHashMap<>();
    /** Methods for devices connected to another hub node. */
    private final RemoteMethods remoteMethods;
    private final TwinStore.DesiredListener desiredListener = this::desiredChanged;
    private Runnable stopListening = () -> {
    };

    @Activate
    public IotHubServer(@Reference DeviceStore devices, @Reference TwinStore twins, @Reference C2dStore cloudToDevice,
            @Reference Broker broker, @Reference org.outpost.hub.storage.HubDatabase db, Config config)
            throws Exception {
        this.devices = devices;
        this.remoteMethods = new RemoteMethods(db, sessions::get);
        this.cloudToDevice = cloudToDevice;
        this.twins = twins;
        this.hostName = config.host_name();
        this.authLimiter = new AuthLimiter(Math.max(1, config.auth_max_failures_per_minute()),
                java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());
        this.locator = broker.createLocator();
        this.factory = locator.createSessionFactory();
        int maxBytes = Math.max(1, config.max_message_kb()) * 1024;
        try {
            this.channel = listen(config.host(), config.port(), null, maxBytes);
            SslContext tls = tlsContext(config);
            this.tlsChannel = tls == null ? null : listen(config.host(), config.tls_port(), tls, maxBytes);
        } catch (Exception e) {
            remoteMethods.close();
            close();
            throw e;
        }
        twins.addListener(desiredListener);
        // A deleted or disabled device is disconnected at once, with its module identities.
        java.util.function.Consumer<String> disconnect = id -> sessions.forEach((identity, session) -> {
            if (identity.equals(id) || identity.startsWith(id + "/")) {
                session.close();
            }
        });
        Runnable stopDelete = devices.onDelete(disconnect);
        Runnable stopDisable = devices.onDisable(disconnect);
        this.stopListening = () -> {
            stopDelete.run();
            stopDisable.run();
        };
        LOG.info("IoT Hub endpoint listening on {} as {}{}", channel.localAddress(), hostName, tlsChannel == null ? ""
                : ", with TLS on " + tlsChannel.localAddress());
    }

    private Channel listen(String host, int port, SslContext tls, int maxBytes) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("decoder", new MqttDecoder(maxBytes));
                        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
                        // Sessions block on the twin store and the broker: they run on their own threads.
                        ch.pipeline().addLast(sessionThreads, "session", new DeviceSession(IotHubServer.this));
                    }
                });
        try {
            return b.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("the IoT Hub endpoint cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "): change " + (tls == null ? "port" : "tls.port") + " in etc/" + PID
                    + ".cfg", e);
        }
    }

    /** @return the TLS context from tls.keystore, or null if TLS is off or there is no key store */
    private static SslContext tlsContext(Config config) throws Exception {
        if (config.tls_port() < 0) {
            return null;
        }
        java.nio.file.Path store = java.nio.file.Path.of(System.getProperty("karaf.etc", "etc"))
                .resolve(config.tls_keystore());
        if (!java.nio.file.Files.isRegularFile(store)) {
            LOG.info("The IoT Hub TLS endpoint is off: there is no key store {}. Make one with the hub's names in it,"
                    + " e.g. keytool -genkeypair -alias hub -keyalg EC -storetype PKCS12 -keystore {} -dname"
                    + " CN={} -ext san=dns:{},ip:127.0.0.1 (docs/protocol.md, TLS)", store, store,
                    config.host_name(), config.host_name());
            return null;
        }
        char[] password = config.tls_keystore_password().toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, password);
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS key store " + store + " (" + e.getMessage()
                    + "): check tls.keystore.password in etc/" + PID + ".cfg", e);
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        // Client certificates are asked for, not required: a device authenticates with a SAS token or with a
        // certificate whose thumbprint its identity holds, checked at CONNECT.
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).clientAuth(ClientAuth.OPTIONAL)
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
                .protocols("TLSv1.3", "TLSv1.2").build();
    }

    @Deactivate
    void deactivate() {
        twins.removeListener(desiredListener);
        stopListening.run();
        remoteMethods.close();
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (tlsChannel != null) {
            tlsChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        sessions.values().forEach(DeviceSession::close);
        close();
    }

    private void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        sessionThreads.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        factory.close();
        locator.close();
    }

    /** @return the port it listens on */
    int port() {
        return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    }

    /** @return the port of its TLS endpoint, or -1 if it has none */
    int tlsPort() {
        return tlsChannel == null ? -1 : ((java.net.InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    DeviceStore devices() {
        return devices;
    }

    TwinStore twins() {
        return twins;
    }

    C2dStore cloudToDevice() {
        return cloudToDevice;
    }

    AuthLimiter authLimiter() {
        return authLimiter;
    }

    String hostName() {
        return hostName;
    }

    ClientSessionFactory brokerSessions() {
        return factory;
    }

    /** A device (or module) connected: an earlier connection of the same identity is closed, as IoT Hub does. */
    void connected(String identity, DeviceSession session) {
        DeviceSession previous = sessions.put(identity, session);
        if (previous == null) {
            devices.connection(deviceOf(identity), true);
        }
        if (previous != null && previous != session) {
            LOG.info("{} connected again; closing its earlier connection", identity);
            previous.close();
        }
    }

    void disconnected(String identity, DeviceSession session) {
        if (sessions.remove(identity, session)) {
            devices.connection(deviceOf(identity), false);
        }
    }

    private static String deviceOf(String identity) {
        int slash = identity.indexOf('/');
        return slash < 0 ? identity : identity.substring(0, slash);
    }

    /** @return the connected session of a device ({@code device}) or module ({@code device/module}), or null */
    DeviceSession session(String identity) {
        return sessions.get(identity);
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
        int size = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the payload has " + size + " bytes; at most " + MAX_PAYLOAD_BYTES
                    + " are allowed");
        }
        try {
            JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the payload is not JSON: " + e.getMessage());
        }
        String identity = moduleId == null ? deviceId : deviceId + "/" + moduleId;
        DeviceSession s = sessions.get(identity);
        if (s == null) {
            // Connected to another hub node, or nowhere (404).
            return remoteMethods.invoke(deviceId, identity, method, payload, timeout);
        }
        return s.invoke(method, payload, timeout);
    }

    static String message(String text) {
        return JSON.createObjectNode().put("message", text).toString();
    }

    private void desiredChanged(String deviceId, String moduleId, String patch, org.outpost.protocol.TwinDocument t) {
        DeviceSession s = sessions.get(moduleId == null ? deviceId : deviceId + "/" + moduleId);
        if (s != null) {
            s.desiredPatch(t.desiredVersion(), patch);
        }
    }
}
