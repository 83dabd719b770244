/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.IotHubServer;
import org.outpost.iothub.ServerSettings;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.iothub.spi.TwinService;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/**
 * Two layers: the hub, a parent gateway whose endpoint serves its children from its relay (as the gateway's endpoint
 * does), and a child gateway's relay connected to the parent's endpoint, relaying a leaf below it. The relay speaks
 * only the hub's protocol, so the child's relay needs nothing special to go through the parent.
 */
class NestedRelayTest {

    private static final Identity LEAF = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
    private static final String CHILD_GW = "child-gw";
    private static final String CHILD_KEY = java.util.Base64.getEncoder().encodeToString("child-gateway-key-0123"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Upstream hub;
    private IotHubServer parentEndpoint;
    private RelayService parent;
    private RelayService child;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        if (child != null) {
            child.deactivate();
        }
        if (parentEndpoint != null) {
            parentEndpoint.close();
        }
        if (parent != null) {
            parent.deactivate();
        }
        hub.close();
    }

    /** The parent gateway: its relay to the hub, and an endpoint that lets the child gateway in on its behalf. */
    private void parentGateway() throws Exception {
        parent = new RelayService(hub.link(), dir.resolve("parent"), TwinLimits.IOT_HUB, Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        TwinService twins = new TwinService() {
            @Override
            public TwinDocument twin(Identity identity) {
                return parent.twin(identity);
            }

            @Override
            public TwinDocument patchReported(Identity identity, String patchJson) {
                return parent.patchReported(identity, patchJson);
            }

            @Override
            public Subscription onDesiredPatch(DesiredPatchListener listener) {
                return parent.onDesiredPatch(listener);
            }
        };
        IotHubServer[] self = new IotHubServer[1];
        parentEndpoint = IotHubServer.builder(new ServerSettings("parent", "127.0.0.1", 0, Upstream.HOST, -1,
                dir.resolve("none.p12"), "", 256 * 1024, 1000, "etc/test.cfg")).authenticator((claimed, c) -> {
                    // The child gateway's token with the client id of a device below it: on its behalf.
                    SasToken t = c.sasToken();
                    return t.device().equals(Optional.of(CHILD_GW)) && t.check(Upstream.HOST + "/devices/" + CHILD_GW,
                            CHILD_KEY, Instant.now()) == SasToken.Check.VALID ? Authentication.accepted(claimed)
                                    : Authentication.refused("not on behalf of " + CHILD_GW);
                }).telemetry(identity -> new TelemetryWriter() {
                    @Override
                    public void write(String topic, org.outpost.protocol.TelemetryTopic t, byte[] payload) {
                    }

                    @Override
                    public void close() {
                    }
                }).twins(twins).cloudToDevice(parent.cloudToDevice()).connections(new ConnectionListener() {
                    @Override
                    public void connected(Identity identity) {
                        parent.connected(identity, (who, method, payload, timeout) -> self[0].invoke(who, method,
                                payload, timeout));
                    }

                    @Override
                    public void disconnected(Identity identity) {
                        parent.disconnected(identity);
                    }
                }).build();
        self[0] = parentEndpoint;
        parentEndpoint.start();
    }

    private HubLink toParent() {
        int port = parentEndpoint.port();
        return new HubLink() {
            @Override
            public String deviceId() {
                return CHILD_GW;
            }

            @Override
            public String url() {
                return "tcp://127.0.0.1:" + port;
            }

            @Override
            public String hubHostName() {
                return Upstream.HOST;
            }

            @Override
            public Optional<SSLSocketFactory> socketFactory() {
                return Optional.empty();
            }

            @Override
            public String gatewayToken(Duration validity) {
                return SasToken.create(Upstream.HOST + "/devices/" + CHILD_GW, CHILD_KEY, Instant.now().plus(
                        validity));
            }
        };
    }

    @Test
    void aLeafBelowAChildGatewayIsRelayedThroughTheParentToTheHub() throws Exception {
        hub = new Upstream(dir).start();
        hub.twins.put("leaf", TwinDocument.empty().patchDesired("{\"mode\":\"eco\"}", TwinLimits.IOT_HUB));
        parentGateway();
        child = new RelayService(toParent(), dir.resolve("child"), TwinLimits.IOT_HUB, Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        List<String> desired = new CopyOnWriteArrayList<>();
        child.onDesiredPatch((identity, version, patch) -> desired.add(identity + " " + patch));

        child.connected(LEAF, (who, method, payload, timeout) -> {
            calls.add(who + " " + method);
            return CompletableFuture.completedFuture(new MethodResult(200, "{\"ok\":1}"));
        });
        await().atMost(WAIT).until(() -> hub.connectedNow.contains("leaf"));

        assertThat(child.twin(LEAF).desired()).isEqualTo("{\"mode\":\"eco\",\"$version\":2}");
        child.patchReported(LEAF, "{\"battery\":97}");
        await().atMost(WAIT).until(() -> hub.reported.contains("leaf {\"battery\":97}"));

        hub.desired(Identity.device("leaf"), "{\"mode\":\"boost\"}");
        await().atMost(WAIT).until(() -> desired.contains("leaf {\"mode\":\"boost\",\"$version\":3}"));

        assertThat(hub.server().invoke(Identity.device("leaf"), "ping", "{}", Duration.ofSeconds(10))
                .toCompletableFuture().get()).isEqualTo(new MethodResult(200, "{\"ok\":1}"));
        assertThat(calls).containsExactly("leaf ping");

        hub.send("leaf", "two layers down");
        await().atMost(WAIT).until(() -> child.cloudToDevice().waiting(LEAF, 0, 10).size() == 1);
        child.cloudToDevice().delivered(LEAF, child.cloudToDevice().waiting(LEAF, 0, 10).get(0));
        await().atMost(WAIT).until(() -> hub.delivered.size() == 1);
    }
}
