/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.outpost.commons.Backoff;
import org.outpost.commons.DaemonThreads;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.downstream.api.HubLink;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.MethodResult;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of the children's twins, direct methods and cloud-to-device messages ({@link ChildRelay}): one
 * {@link RelayLink} per child identity connected to this gateway, to {@link HubLink#url()} (the hub, or the parent
 * gateway), on the gateway's behalf. Each child's twin copy and waiting reported patches are in
 * {@code ${karaf.data}/outpost/children/} ({@link ChildTwin}); the reported patches are sent in order while its link
 * is up, one at a time. When a child disconnects its link closes: what waits on disk is sent when it connects again
 * (no connection is kept for a child that is not there, so that the hub sees the child as away). Threads, however
 * many children: one worker, and {@link #IO_THREADS} Netty event loops for all the links' connections.
 */
@Component(service = ChildRelay.class)
public final class RelayService implements ChildRelay {

    /**
     * How long a twin read waits for the hub before the copy is served, and an identity registry request before it
     * is answered 504.
     */
    static final Duration TWIN_WAIT = Duration.ofSeconds(10);
    /** How long a reported patch may wait for the hub's answer before it is sent again. */
    static final Duration REPORTED_WAIT = Duration.ofSeconds(30);
    /** The longest a direct method waits for the child (IoT Hub's largest response timeout). */
    static final Duration METHOD_TIMEOUT = Duration.ofSeconds(300);

    /** Event loop threads of all links together (one connection needs little: a few messages a minute). */
    static final int IO_THREADS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

    /** One relayed child: its link, its files, and the reported patch in flight (worker only). */
    private static final class Child {
        final ChildTwin twin;
        final RelayLink link;
        final Methods methods;
        String reportedRid;
        long reportedSeq;
        long reportedSentNanos;

        Child(ChildTwin twin, RelayLink link, Methods methods) {
            this.twin = twin;
            this.link = link;
            this.methods = methods;
        }
    }

    /** Where the links connect; null while the twins are not configured (the children are served from copies). */
    private volatile HubLink hub;
    private final Path children;
    private final TwinLimits limits;
    private final Duration backoffMax;
    private final Duration requestWait;
    /** The event loops of every link's connection (I/O only, never blocked). */
    private final EventLoopGroup io = new NioEventLoopGroup(IO_THREADS, DaemonThreads.numbered("outpost-relay-io"));
    /** The relay's own work: never blocked by the network. */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(
            "outpost-relay"));
    private final Map<String, Child> relayed = new ConcurrentHashMap<>();
    /** Every child's files heard of since the start, relayed now or not (one object per identity). */
    private final Map<String, ChildTwin> files = new ConcurrentHashMap<>();
    private final List<DesiredPatchListener> listeners = new CopyOnWriteArrayList<>();
    private final RelayedCloudToDevice cloudToDevice = new RelayedCloudToDevice();
    private final RelayLink.Receiver receiver = new Receiver();

    @Activate
    public RelayService() {
        this(null, Path.of(System.getProperty("karaf.data", "data"), "outpost", "children"), TwinLimits.IOT_HUB,
                Duration.ofSeconds(30), TWIN_WAIT);
    }

    /**
     * @param hub where the links connect, or null until {@link #bindHub}
     * @param backoffMax the longest wait between two connection attempts of a link (from 1 s, doubling)
     * @param requestWait how long a twin read or a registry request waits for the hub ({@link #TWIN_WAIT})
     */
    RelayService(HubLink hub, Path children, TwinLimits limits, Duration backoffMax, Duration requestWait) {
        this.requestWait = requestWait;
        this.hub = hub;
        this.children = children;
        this.limits = limits;
        this.backoffMax = backoffMax;
        long every = REPORTED_WAIT.toSeconds();
        worker.scheduleWithFixedDelay(this::resendLate, every, every, TimeUnit.SECONDS);
    }

    /** The twins' link came (or replaced another): every link connects again there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHub(HubLink link) {
        hub = link;
        relayed.values().forEach(c -> c.link.restart());
    }

    void unbindHub(HubLink link) {
        if (hub == link) {
            hub = null;
            relayed.values().forEach(c -> c.link.restart());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        relayed.values().forEach(c -> c.link.close());
        relayed.clear();
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Override
    public void connected(Identity child, Methods methods) {
        Child old = relayed.remove(child.id());
        if (old != null) {
            old.link.close();
            cloudToDevice.dropAll(child);
        }
        try {
            ChildTwin twin = twin(child.id(), child);
            RelayLink link = new RelayLink(child, () -> hub, io, worker, receiver, new Backoff(Duration.ofSeconds(1),
                    backoffMax), Duration.ofHours(1));
            relayed.put(child.id(), new Child(twin, link, methods));
            link.start();
        } catch (RuntimeException e) {
            LOG.error("Cannot relay {}: {}; its twin is served from the gateway's copy, and its methods and"
                    + " cloud-to-device messages do not reach it until it connects again", child, e.toString());
        }
    }

    @Override
    public void disconnected(Identity child) {
        Child c = relayed.remove(child.id());
        if (c != null) {
            c.link.close();
            cloudToDevice.dropAll(child);
            int queued = c.twin.journal().size();
            if (queued > 0) {
                LOG.info("Relay of {} closed with {} reported patches waiting on disk: they go to the hub when it"
                        + " connects again", child, queued);
            }
        }
    }

    /** @return the child's files, opened at the first need and kept */
    private ChildTwin twin(String id, Identity identity) {
        return files.computeIfAbsent(id, k -> {
            try {
                return ChildTwin.open(identity, children, limits);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + identity + "'s twin files in " + ChildTwin.folder(
                        children, identity) + ": " + e.getMessage() + " (check or remove them)", e);
            }
        });
    }

    @Override
    public TwinDocument twin(Identity child) {
        ChildTwin twin = twin(child.id(), child);
        Child c = relayed.get(child.id());
        if (c != null && c.link.awaitFirstUp(requestWait)) {
            String rid = c.link.rid();
            Optional<PendingRequests.Answer> a = c.link.request(rid, new IotHubTopic.TwinGet(rid).format(), "",
                    requestWait);
            if (a.isPresent() && a.get().status() == 200) {
                try {
                    return twin.tookFromHub(TwinDocument.parse(a.get().body()));
                } catch (RuntimeException e) {
                    LOG.warn("Relay of {}: the hub's twin is not readable ({}); serving the gateway's copy", child,
                            e.getMessage());
                }
            } else {
                LOG.info("Relay of {}: {}; serving the gateway's copy", child, a.map(x -> "the hub answered the twin"
                        + " request with " + x.status()).orElse("no twin from the hub within " + requestWait
                                .toMillis() + " ms"));
            }
        }
        return twin.copy();
    }

    @Override
    public TwinDocument patchReported(Identity child, String patchJson) {
        TwinDocument after = twin(child.id(), child).patchReported(patchJson);
        Child c = relayed.get(child.id());
        if (c != null) {
            worker.execute(() -> sendReported(c));
        }
        return after;
    }

    /** Sends the oldest waiting reported patch, unless one is waiting for its answer (worker only). */
    private void sendReported(Child c) {
        if (c.reportedRid != null || !c.link.up() || relayed.get(c.link.identity().id()) != c) {
            return;
        }
        c.twin.journal().head().ifPresent(e -> {
            String rid = c.link.rid();
            if (c.link.publish(new IotHubTopic.ReportedPatch(rid).format(), e.patch())) {
                c.reportedRid = rid;
                c.reportedSeq = e.seq();
                c.reportedSentNanos = System.nanoTime();
            }
        });
    }

    /** A reported patch's answer (worker only): the next goes; a refusal drops it, a 5xx/429 sends it again. */
    private void reportedAnswer(Child c, int status, String body) {
        long seq = c.reportedSeq;
        c.reportedRid = null;
        if (status >= 500 || status == 429) {
            LOG.warn("Relay of {}: the hub answered a reported patch with {}; sending it again in 5 s",
                    c.link.identity(), status);
            worker.schedule(() -> sendReported(c), 5, TimeUnit.SECONDS);
            return;
        }
        if (status >= 400) {
            LOG.warn("Relay of {}: the hub refused a reported patch ({} {}); dropping it so that the next ones go",
                    c.link.identity(), status, body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
        try {
            c.twin.journal().remove(seq);
        } catch (IOException e) {
            LOG.warn("Relay of {}: cannot mark a reported patch sent in {} ({}); it is sent again after a restart",
                    c.link.identity(), ChildTwin.folder(children, c.link.identity()), e.toString());
        }
        sendReported(c);
    }

    private void resendLate() {
        long now = System.nanoTime();
        for (Child c : relayed.values()) {
            if (c.reportedRid != null && now - c.reportedSentNanos > REPORTED_WAIT.toNanos()) {
                LOG.warn("Relay of {}: no answer to a reported patch within {} s; sending it again",
                        c.link.identity(), REPORTED_WAIT.toSeconds());
                c.reportedRid = null;
                sendReported(c);
            }
        }
    }

    @Override
    public Subscription onDesiredPatch(DesiredPatchListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public CloudToDeviceSource cloudToDevice() {
        return cloudToDevice;
    }

    @Override
    public IdentityRegistry.Answer putModule(Identity child, String moduleId, String bodyJson) {
        return registry(child, IotHubTopic.IdentityRequest.Method.PUT, moduleId, bodyJson);
    }

    @Override
    public IdentityRegistry.Answer deleteModule(Identity child, String moduleId) {
        return registry(child, IotHubTopic.IdentityRequest.Method.DELETE, moduleId, "");
    }

    private IdentityRegistry.Answer registry(Identity child, IotHubTopic.IdentityRequest.Method method,
            String moduleId, String body) {
        Child c = relayed.get(child.id());
        if (c == null || !c.link.up()) {
            return new IdentityRegistry.Answer(503, MethodResult.message("the hub is not reachable from this"
                    + " gateway now; ask again later"));
        }
        String rid = c.link.rid();
        return c.link.request(rid, new IotHubTopic.IdentityRequest(method, moduleId, rid).format(), body,
                requestWait).map(a -> new IdentityRegistry.Answer(a.status(), a.body())).orElseGet(
                        () -> new IdentityRegistry.Answer(504, MethodResult.message("the hub did not answer within "
                                + requestWait.toMillis() + " ms; ask again later")));
    }

    @Override
    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        relayed.values().forEach(c -> out.add(new Link(c.link.identity(), c.link.up(), c.link.since(), c.twin
                .journal().size(), cloudToDevice.pending(c.link.identity()))));
        return out;
    }

    /** What the links hear, on the worker. */
    private final class Receiver implements RelayLink.Receiver {

        private Optional<Child> child(RelayLink link) {
            Child c = relayed.get(link.identity().id());
            return c != null && c.link == link ? Optional.of(c) : Optional.empty();
        }

        @Override
        public void online(RelayLink link, int epoch) {
            child(link).ifPresent(c -> {
                c.reportedRid = null;
                sendReported(c);
            });
        }

        @Override
        public void offline(RelayLink link) {
            cloudToDevice.dropAll(link.identity());
            child(link).ifPresent(c -> c.reportedRid = null);
        }

        @Override
        public void received(RelayLink link, IotHubTopic topic, String body) {
            Optional<Child> found = child(link);
            if (found.isEmpty()) {
                return;
            }
            Child c = found.get();
            Identity id = link.identity();
            if (topic instanceof IotHubTopic.TwinResponse r && r.rid().equals(c.reportedRid)) {
                reportedAnswer(c, r.status(), body);
            } else if (topic instanceof IotHubTopic.DesiredPatch p) {
                try {
                    c.twin.desiredPatch(p.version(), body);
                } catch (RuntimeException e) {
                    LOG.warn("Relay of {}: cannot apply a desired patch to the gateway's copy ({}); the child gets it"
                            + " all the same", id, e.getMessage());
                }
                for (DesiredPatchListener l : listeners) {
                    l.desiredPatch(id, p.version(), body);
                }
            } else if (topic instanceof IotHubTopic.MethodCall call) {
                c.methods.invoke(id, call.method(), body, METHOD_TIMEOUT).whenComplete((result, e) -> {
                    MethodResult r = e != null ? MethodResult.error(500, "the gateway could not call " + id + ": "
                            + e) : result;
                    link.publish(new IotHubTopic.MethodResponse(r.status(), call.rid()).format(), r.payload());
                });
            } else {
                LOG.debug("Relay of {}: ignoring {} from the hub", id, topic);
            }
        }

        @Override
        public void cloudToDevice(RelayLink link, int epoch, IotHubTopic.CloudToDevice topic, int messageId,
                byte[] body) {
            if (child(link).isEmpty()) {
                return;
            }
            cloudToDevice.arrived(link.identity(), topic.properties(), body, () -> link.ack(epoch, messageId));
        }
    }
}
