/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.outpost.protocol.TwinLimits;

/** The relay against a real IoT Hub endpoint playing the hub (which lets children in on the gateway's behalf only). */
class RelayServiceTest {

    private static final Identity LEAF = new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null);
    private static final Identity CHILD_AGENT = Identity.module("child-gw", "$edgeAgent");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Upstream hub;
    private final List<RelayService> relays = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final ChildRelay.Methods methods = (child, method, payload, timeout) -> {
        calls.add(child + " " + method + " " + payload);
        return CompletableFuture.completedFuture(new MethodResult(200, "{\"done\":true}"));
    };

    @BeforeEach
    void hub() throws Exception {
        hub = new Upstream(dir).start();
    }

    @AfterEach
    void close() throws Exception {
        for (RelayService r : relays) {
            r.deactivate();
        }
        hub.close();
    }

    private RelayService relay() {
        RelayService r = new RelayService(hub.link(), dir.resolve("children"), TwinLimits.IOT_HUB,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        relays.add(r);
        return r;
    }

    private static boolean up(RelayService relay, Identity id) {
        return relay.links().stream().anyMatch(l -> l.identity().equals(id) && l.upstream());
    }

    @Test
    void theTwinComesFromTheHubWhileConnectedAndFromTheGatewaysCopyWhileItIsAwayAndAfterARestart() throws Exception {
        hub.twins.put("leaf", TwinDocument.empty().patchDesired("{\"interval\":5}", TwinLimits.IOT_HUB));
        RelayService relay = relay();
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF) && hub.connectedNow.contains("leaf"));

        assertThat(relay.twin(LEAF).desired()).isEqualTo("{\"interval\":5,\"$version\":2}");

        hub.stop();
        await().atMost(WAIT).until(() -> !up(relay, LEAF));
        assertThat(relay.twin(LEAF).desired()).isEqualTo("{\"interval\":5,\"$version\":2}");
        relay.deactivate();
        relays.remove(relay);

        RelayService restarted = relay();
        assertThat(restarted.twin(LEAF).desired()).isEqualTo("{\"interval\":5,\"$version\":2}");
        assertThat(restarted.twin(Identity.device("never-seen")).toJson()).isEqualTo(TwinDocument.empty().toJson());
    }

    @Test
    void reportedPatchesWaitOnDiskWhileTheHubIsAwayAndArriveInOrderAfterARestart() throws Exception {
        hub.stop();
        RelayService relay = relay();
        relay.connected(LEAF, methods);
        relay.patchReported(LEAF, "{\"n\":1}");
        relay.patchReported(LEAF, "{\"refuse-me\":true}");
        TwinDocument after = relay.patchReported(LEAF, "{\"n\":2,\"m\":{\"x\":\"y\"}}");
        assertThatThrownBy(() -> relay.patchReported(LEAF, "{\"bad key\":1}")).isInstanceOf(TwinException.class);
        assertThatThrownBy(() -> relay.patchReported(LEAF, "[1]")).isInstanceOf(TwinException.class);
        assertThat(after.reported()).contains("\"n\":2").contains("\"refuse-me\":true");
        assertThat(relay.links()).singleElement().satisfies(l -> assertThat(l.queuedReported()).isEqualTo(3));
        assertThat(Files.readString(ChildTwin.folder(dir.resolve("children"), LEAF).resolve("reported.journal"),
                StandardCharsets.UTF_8)).doesNotContain("bad key");

        relay.deactivate();
        relays.remove(relay);
        RelayService restarted = relay();
        restarted.connected(LEAF, methods);
        restarted.patchReported(LEAF, "{\"n\":3}");
        hub.start();

        // The patch the hub refuses is dropped, with a log line, and does not hold up the next ones.
        await().atMost(WAIT).until(() -> hub.reported.size() == 3);
        assertThat(hub.reported).containsExactly("leaf {\"n\":1}", "leaf {\"n\":2,\"m\":{\"x\":\"y\"}}",
                "leaf {\"n\":3}");
        await().atMost(WAIT).until(() -> restarted.links().get(0).queuedReported() == 0);
        assertThat(restarted.twin(LEAF).reported()).contains("\"n\":3").doesNotContain("refuse-me");
    }

    @Test
    void desiredPatchesMethodsAndRegistryRequestsAreRelayed() throws Exception {
        RelayService relay = relay();
        List<String> desired = new CopyOnWriteArrayList<>();
        relay.onDesiredPatch((identity, version, patch) -> desired.add(identity.kind() + " " + identity + " "
                + version + " " + patch));
        relay.connected(LEAF, methods);
        relay.connected(CHILD_AGENT, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF) && up(relay, CHILD_AGENT));

        hub.desired(org.outpost.iothub.spi.Identity.device("leaf"), "{\"interval\":9}");
        await().atMost(WAIT).until(() -> desired.size() == 1);
        assertThat(desired).containsExactly("CHILD_DEVICE leaf 2 {\"interval\":9,\"$version\":2}");
        assertThat(relay.twin(LEAF).desired()).isEqualTo("{\"interval\":9,\"$version\":2}");

        MethodResult r = hub.server().invoke(org.outpost.iothub.spi.Identity.device("leaf"), "reboot",
                "{\"delay\":1}", Duration.ofSeconds(10)).toCompletableFuture().get();
        assertThat(r).isEqualTo(new MethodResult(200, "{\"done\":true}"));
        assertThat(calls).containsExactly("leaf reboot {\"delay\":1}");

        assertThat(relay.putModule(CHILD_AGENT, "filter", "{\"generationId\":\"g1\",\"primaryKey\":\"a2V5\"}"))
                .isEqualTo(new IdentityRegistry.Answer(200, "{}"));
        assertThat(relay.deleteModule(CHILD_AGENT, "filter").status()).isEqualTo(200);
        assertThat(hub.registry).containsExactly("child-gw/$edgeAgent PUT filter",
                "child-gw/$edgeAgent DELETE filter");

        hub.holdRegistry();
        assertThat(relay.putModule(CHILD_AGENT, "slow", "{}").status()).isEqualTo(504);
        hub.releaseRegistry();
        relay.disconnected(CHILD_AGENT);
        assertThat(relay.putModule(CHILD_AGENT, "filter", "{}").status()).isEqualTo(503);
    }

    @Test
    void aCloudToDeviceMessageIsAcknowledgedAtTheHubOnlyAfterTheChildAcknowledgedIt() throws Exception {
        RelayService relay = relay();
        List<String> arrivals = new CopyOnWriteArrayList<>();
        relay.cloudToDevice().onMessage(LEAF, () -> arrivals.add("arrived"));
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF));

        hub.send("leaf", "open the valve");
        await().atMost(WAIT).until(() -> relay.cloudToDevice().waiting(LEAF, 0, 10).size() == 1);
        CloudToDeviceMessage m = relay.cloudToDevice().waiting(LEAF, 0, 10).get(0);
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("open the valve");
        assertThat(m.properties()).containsKey("$.mid");
        assertThat(arrivals).isNotEmpty();
        assertThat(relay.links().get(0).pendingCloudToDevice()).isEqualTo(1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> hub.delivered.isEmpty());

        relay.cloudToDevice().delivered(LEAF, m);
        await().atMost(WAIT).until(() -> hub.delivered.size() == 1);
        assertThat(relay.cloudToDevice().waiting(LEAF, 0, 10)).isEmpty();
    }

    @Test
    void aMessageTheChildDidNotAcknowledgeComesAgainWhenItsRelayReconnects() throws Exception {
        RelayService relay = relay();
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF));
        hub.send("leaf", "once");
        await().atMost(WAIT).until(() -> relay.cloudToDevice().waiting(LEAF, 0, 10).size() == 1);

        relay.disconnected(LEAF);
        assertThat(relay.cloudToDevice().waiting(LEAF, 0, 10)).isEmpty();
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> relay.cloudToDevice().waiting(LEAF, 0, 10).size() == 1);
        relay.cloudToDevice().delivered(LEAF, relay.cloudToDevice().waiting(LEAF, 0, 10).get(0));
        await().atMost(WAIT).until(() -> hub.delivered.size() == 1);
    }

    @Test
    void aHundredLinksShareTheRelaysFewThreads() throws Exception {
        RelayService relay = relay();
        int n = 100;
        for (int i = 0; i < n; i++) {
            relay.connected(new Identity(Identity.Kind.CHILD_DEVICE, "leaf" + i, null), methods);
        }
        await().atMost(WAIT).until(() -> relay.links().stream().filter(ChildRelay.Link::upstream).count() == n);
        long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(
                "outpost-relay")).count();
        System.out.printf("relay: %d links up on %d relay threads%n", n, threads);
        assertThat(threads).isLessThanOrEqualTo(RelayService.IO_THREADS + 1);

        for (int i = 0; i < n; i++) {
            relay.disconnected(new Identity(Identity.Kind.CHILD_DEVICE, "leaf" + i, null));
        }
        await().atMost(WAIT).until(() -> hub.connectedNow.isEmpty());
    }

    @Test
    void overTlsTheRelayTrustsTheConfiguredCertificateAndNoOther() throws Exception {
        hub.close();
        hub = new Upstream(dir.resolve("tls")).tls().start();
        hub.twins.put("leaf", TwinDocument.empty().patchDesired("{\"secure\":true}", TwinLimits.IOT_HUB));
        RelayService relay = relay();
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF));
        assertThat(relay.twin(LEAF).desired()).contains("\"secure\":true");

        // The JVM's default CAs do not know the hub's certificate: the handshake fails, the link stays down.
        org.outpost.downstream.api.HubLink untrusting = new org.outpost.downstream.api.HubLink() {
            private final org.outpost.downstream.api.HubLink real = hub.link();

            public String deviceId() {
                return real.deviceId();
            }

            public String url() {
                return real.url();
            }

            public String hubHostName() {
                return real.hubHostName();
            }

            public java.util.Optional<javax.net.ssl.SSLSocketFactory> socketFactory() {
                return java.util.Optional.empty();
            }

            public String gatewayToken(Duration validity) {
                return real.gatewayToken(validity);
            }
        };
        RelayService other = new RelayService(untrusting, dir.resolve("other"), TwinLimits.IOT_HUB,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        relays.add(other);
        other.connected(Identity.device("leaf2"), methods);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !up(other, Identity.device(
                "leaf2")) && !hub.connectedNow.contains("leaf2"));
    }

    @Test
    void aDesiredPatchHeardWhileConnectedIsInTheCopyServedWhileTheHubIsAway() throws Exception {
        RelayService relay = relay();
        List<Long> heard = new CopyOnWriteArrayList<>();
        relay.onDesiredPatch((identity, version, patch) -> heard.add(version));
        relay.connected(LEAF, methods);
        await().atMost(WAIT).until(() -> up(relay, LEAF));
        assertThat(relay.twin(LEAF).desiredVersion()).isEqualTo(1);

        hub.desired(Identity.device("leaf"), "{\"interval\":7,\"nested\":{\"a\":1}}");
        hub.desired(Identity.device("leaf"), "{\"nested\":{\"a\":null,\"b\":2}}");
        await().atMost(WAIT).until(() -> heard.size() == 2);
        hub.stop();
        await().atMost(WAIT).until(() -> !up(relay, LEAF));

        assertThat(relay.twin(LEAF).desired()).isEqualTo("{\"interval\":7,\"nested\":{\"b\":2},\"$version\":3}");
    }

    @Test
    void withoutALinkToTheHubChildrenAreServedFromTheirCopiesUntilTheTwinsRegisterOne() throws Exception {
        RelayService relay = new RelayService(null, dir.resolve("children"), TwinLimits.IOT_HUB,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
        relays.add(relay);
        relay.connected(LEAF, methods);
        relay.patchReported(LEAF, "{\"waiting\":1}");
        assertThat(relay.twin(LEAF).reported()).contains("\"waiting\":1");
        assertThat(relay.links()).singleElement().satisfies(l -> assertThat(l.upstream()).isFalse());

        relay.bindHub(hub.link());
        await().atMost(WAIT).until(() -> hub.reported.contains("leaf {\"waiting\":1}"));
        relay.unbindHub(hub.link());
        assertThat(up(relay, LEAF)).as("a link that is not the bound one changes nothing").isTrue();
    }
}
