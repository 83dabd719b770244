/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocketFactory;

import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

/**
 * The hub for the relay's tests: a real {@link IotHubServer} on a fixed port (stopped and started again at will), with
 * twins, cloud-to-device messages and an identity registry in memory. It lets a child in on behalf of gateway
 * {@value #GATEWAY} only (the gateway's token, signed with {@link #GATEWAY_KEY}, with the child's client id).
 */
final class Upstream implements AutoCloseable {

    static final String HOST = "hub.example";
    static final String GATEWAY = "gw";
    static final String GATEWAY_KEY = java.util.Base64.getEncoder().encodeToString("gateway-key-0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8));

    /** Twins by identity id. */
    final Map<String, TwinDocument> twins = new ConcurrentHashMap<>();
    /** Reported patches taken, as {@code <identity> <patch>}, in order. */
    final List<String> reported = new CopyOnWriteArrayList<>();
    /** Cloud-to-device messages waiting, by identity id. */
    final Map<String, List<CloudToDeviceMessage>> cloudToDevice = new ConcurrentHashMap<>();
    /** Acknowledged ones, as {@code <identity> <seq>}. */
    final List<String> delivered = new CopyOnWriteArrayList<>();
    /** Registry requests, as {@code <caller> PUT|DELETE <module>}. */
    final List<String> registry = new CopyOnWriteArrayList<>();
    /** Identities connected now. */
    final List<String> connectedNow = new CopyOnWriteArrayList<>();
    final List<DesiredPatchListener> desiredListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();
    /** While set, the registry holds its answers until it is released (to see the relay's 504). */
    private volatile CountDownLatch registryHeld;
    private final Path dir;
    private IotHubServer server;
    private int port;
    /** With TLS only: its key store (password "secret"), and the context the gateway trusts it with. */
    private Path keyStore;
    private javax.net.ssl.SSLContext trusted;

    Upstream(Path dir) {
        this.dir = dir;
    }

    /** Makes it listen with TLS only, on a new certificate for 127.0.0.1 that {@link #link} trusts. */
    Upstream tls() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        keyStore = dir.resolve("hub.p12");
        Path pem = dir.resolve("hub.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (List<String> command : List.of(List.of(keytool, "-genkeypair", "-alias", "hub", "-keyalg", "EC",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "secret", "-dname",
                "CN=" + HOST, "-ext", "san=ip:127.0.0.1"), List.of(keytool, "-exportcert", "-rfc", "-alias", "hub",
                        "-keystore", keyStore.toString(), "-storepass", "secret", "-file", pem.toString()))) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(new String(p.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        trusted = org.outpost.protocol.TrustedCertificates.sslContext(pem);
        return this;
    }

    /** Starts the server (on the port it had, after the first time). */
    Upstream start() throws Exception {
        ServerSettings settings = keyStore == null ? new ServerSettings("test-hub", "127.0.0.1", port, HOST, -1,
                dir.resolve("none.p12"), "", 256 * 1024, 1000, "etc/test.cfg") : new ServerSettings("test-hub",
                        "127.0.0.1", -1, HOST, port, keyStore, "secret", 256 * 1024, 1000, "etc/test.cfg");
        server = IotHubServer.builder(settings).authenticator(Upstream::authenticate)
                .telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, org.outpost.protocol.TelemetryTopic t, byte[] payload) {
                    }

                    @Override
                    public void close() {
                    }
                }).twins(twinService()).cloudToDevice(c2d()).identities(registryService())
                .connections(new org.outpost.iothub.spi.ConnectionListener() {
                    @Override
                    public void connected(Identity identity) {
                        connectedNow.add(identity.id());
                    }

                    @Override
                    public void disconnected(Identity identity) {
                        connectedNow.remove(identity.id());
                    }
                }).build();
        server.start();
        port = keyStore == null ? server.port() : server.tlsPort();
        return this;
    }

    void stop() {
        server.close();
        connectedNow.clear();
    }

    /** From now on the registry answers only when {@link #releaseRegistry released}. */
    void holdRegistry() {
        registryHeld = new CountDownLatch(1);
    }

    /** The registry answers what it holds, and answers at once from now on. */
    void releaseRegistry() {
        CountDownLatch held = registryHeld;
        registryHeld = null;
        if (held != null) {
            held.countDown();
        }
    }

    @Override
    public void close() {
        releaseRegistry();
        if (server != null) {
            server.close();
        }
    }

    IotHubServer server() {
        return server;
    }

    /** The gateway's link to this hub, as the twins provide it. */
    HubLink link() {
        return new HubLink() {
            @Override
            public String deviceId() {
                return GATEWAY;
            }

            @Override
            public String url() {
                return (keyStore == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
            }

            @Override
            public Optional<javax.net.ssl.SSLContext> sslContext() {
                return Optional.ofNullable(trusted);
            }

            @Override
            public String hubHostName() {
                return HOST;
            }

            @Override
            public Optional<SSLSocketFactory> socketFactory() {
                return Optional.empty();
            }

            @Override
            public String gatewayToken(Duration validity) {
                return SasToken.create(HOST + "/devices/" + GATEWAY, GATEWAY_KEY, Instant.now().plus(validity));
            }
        };
    }

    /** Sends a cloud-to-device message to an identity (if it is connected it gets it). */
    void send(String identity, String body) {
        cloudToDevice.computeIfAbsent(identity, k -> new CopyOnWriteArrayList<>()).add(new CloudToDeviceMessage(
                seqs.incrementAndGet(), Map.of("$.mid", "m" + seqs.get()), body.getBytes(StandardCharsets.UTF_8)));
        Runnable r = arrivals.get(identity);
        if (r != null) {
            r.run();
        }
    }

    /** Changes a twin's desired properties and tells the server, as the hub does. */
    void desired(Identity identity, String patch) {
        TwinDocument next = twins.getOrDefault(identity.id(), TwinDocument.empty()).patchDesired(patch,
                TwinLimits.IOT_HUB);
        twins.put(identity.id(), next);
        String withVersion = patch.substring(0, patch.length() - 1) + ",\"$version\":" + next.desiredVersion() + "}";
        desiredListeners.forEach(l -> l.desiredPatch(identity, next.desiredVersion(), withVersion));
    }

    private static Authentication authenticate(Identity claimed, Credentials c) {
        if (!c.hasSasToken()) {
            return Authentication.refused("no SAS token");
        }
        SasToken token = c.sasToken();
        if (!token.device().equals(Optional.of(GATEWAY))) {
            return Authentication.refused("not on behalf of " + GATEWAY);
        }
        return Credentials.checkSasToken(token, HOST + "/devices/" + GATEWAY, GATEWAY_KEY, null, Instant.now())
                .<Authentication>map(Authentication::refused).orElse(Authentication.accepted(claimed));
    }

    private TwinService twinService() {
        return new TwinService() {
            @Override
            public TwinDocument twin(Identity identity) {
                return twins.getOrDefault(identity.id(), TwinDocument.empty());
            }

            @Override
            public TwinDocument patchReported(Identity identity, String patchJson) {
                if (patchJson.contains("refuse-me")) {
                    throw new TwinException("reported.refuse-me", "not taken by this hub");
                }
                TwinDocument next = twin(identity).patchReported(patchJson, TwinLimits.IOT_HUB);
                twins.put(identity.id(), next);
                reported.add(identity.id() + " " + patchJson);
                return next;
            }

            @Override
            public Subscription onDesiredPatch(DesiredPatchListener listener) {
                desiredListeners.add(listener);
                return () -> desiredListeners.remove(listener);
            }
        };
    }

    private CloudToDeviceSource c2d() {
        return new CloudToDeviceSource() {
            @Override
            public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
                List<CloudToDeviceMessage> out = new ArrayList<>();
                for (CloudToDeviceMessage m : cloudToDevice.getOrDefault(identity.id(), List.of())) {
                    if (m.seq() > afterSeq && out.size() < max) {
                        out.add(m);
                    }
                }
                return out;
            }

            @Override
            public void delivered(Identity identity, CloudToDeviceMessage message) {
                cloudToDevice.getOrDefault(identity.id(), new ArrayList<>()).removeIf(m -> m.seq() == message.seq());
                delivered.add(identity.id() + " " + message.seq());
            }

            @Override
            public Subscription onMessage(Identity identity, Runnable arrived) {
                arrivals.put(identity.id(), arrived);
                return () -> arrivals.remove(identity.id(), arrived);
            }
        };
    }

    private IdentityRegistry registryService() {
        return new IdentityRegistry() {
            @Override
            public Answer putModule(Identity caller, String moduleId, String bodyJson) {
                return answer(caller + " PUT " + moduleId);
            }

            @Override
            public Answer deleteModule(Identity caller, String moduleId) {
                return answer(caller + " DELETE " + moduleId);
            }

            private Answer answer(String request) {
                registry.add(request);
                CountDownLatch held = registryHeld;
                try {
                    if (held != null) {
                        held.await(30, TimeUnit.SECONDS); // a slow hub, on purpose
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Answer(200, "{}");
            }
        };
    }
}
