/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.outpost.downstream.api.ChildConnections;
import org.outpost.downstream.api.ChildRelay;
import org.outpost.iothub.spi.ConnectionListener;
import org.outpost.iothub.spi.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The children connected to the gateway's endpoint: tells the {@link ChildRelay} when a child identity comes (its
 * relay connects upstream, and calls its methods through the endpoint) and goes, counts each connection's messages and
 * bytes in ({@link ChildConnections}, {@code edge:children}), and each child's messages since the gateway started (the
 * metrics). The gateway's own modules are not children: they are not counted here.
 */
final class ChildTracker implements ConnectionListener, ChildConnections, RoutedTelemetry.Counted {

    private static final Logger LOG = LoggerFactory.getLogger(ChildTracker.class);

    /** One connection's counts. */
    private record Open(Identity identity, Instant since, String remote, LongAdder messages, LongAdder bytes) {
    }

    private final Supplier<String> gatewayId;
    private final ChildRelay relay;
    private final ChildRelay.Methods methods;
    private final Clock clock;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    /** Each child's messages since the gateway started, by client id. */
    private final Map<String, LongAdder> total = new ConcurrentHashMap<>();
    /** Every client's (the modules' and the children's) connections and disconnections since the start, by id. */
    private final Map<String, LongAdder> connects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> disconnects = new ConcurrentHashMap<>();
    private final Set<String> clients = ConcurrentHashMap.newKeySet();

    ChildTracker(Supplier<String> gatewayId, ChildRelay relay, ChildRelay.Methods methods, Clock clock) {
        this.gatewayId = gatewayId;
        this.relay = relay;
        this.methods = methods;
        this.clock = clock;
    }

    private boolean child(Identity identity) {
        return !ChildTwins.own(identity, gatewayId.get());
    }

    @Override
    public void connected(Identity identity) {
        connected(identity, null);
    }

    @Override
    public void connected(Identity identity, SocketAddress remote) {
        clients.add(identity.id());
        connects.computeIfAbsent(identity.id(), id -> new LongAdder()).increment();
        if (!child(identity)) {
            return;
        }
        open.put(identity.id(), new Open(identity, clock.instant(), remote == null ? "" : remote.toString(),
                new LongAdder(), new LongAdder()));
        LOG.info("Child {} ({}) connected{}", identity, identity.kind(), remote == null ? "" : " from " + remote);
        try {
            relay.connected(identity, methods);
        } catch (RuntimeException e) {
            LOG.warn("The relay of child {} did not start: {}", identity, e.getMessage());
        }
    }

    @Override
    public void disconnected(Identity identity) {
        clients.remove(identity.id());
        disconnects.computeIfAbsent(identity.id(), id -> new LongAdder()).increment();
        if (!child(identity)) {
            return;
        }
        open.remove(identity.id());
        LOG.info("Child {} disconnected", identity);
        try {
            relay.disconnected(identity);
        } catch (RuntimeException e) {
            LOG.warn("The relay of child {} did not stop: {}", identity, e.getMessage());
        }
    }

    @Override
    public void message(Identity identity, int bytes) {
        if (!child(identity)) {
            return;
        }
        Open o = open.get(identity.id());
        if (o != null) {
            o.messages().increment();
            o.bytes().add(bytes);
        }
        total.computeIfAbsent(identity.id(), id -> new LongAdder()).increment();
    }

    @Override
    public List<Connection> connected() {
        return open.values().stream().map(o -> new Connection(o.identity(), o.since(), o.remote(), o.messages()
                .sum(), o.bytes().sum())).sorted(Comparator.comparing(c -> c.identity().id())).toList();
    }

    /** @return the connected children now (a gauge) */
    Map<Map<String, String>, Double> connectedGauge() {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        out.put(Map.of(), (double) open.size());
        return out;
    }

    /** @return the clients (modules and children) connected now: edgeHub's {@code edgehub_connected_clients} */
    Map<Map<String, String>, Double> clientsGauge() {
        return Map.of(Map.of(), (double) clients.size());
    }

    /**
     * @return each client's connections ({@code edgehub_client_connect_success_total}) or disconnections
     *         ({@code edgehub_client_disconnect_total}) since the gateway started, labelled {@code id} (counters)
     */
    Map<Map<String, String>, Double> connectionsCounter(boolean disconnections) {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        (disconnections ? disconnects : connects).forEach((id, n) -> out.put(Map.of("id", id), (double) n.sum()));
        return out;
    }

    /** @return each child's messages since the gateway started, labelled {@code child} (a counter) */
    Map<Map<String, String>, Double> messagesCounter() {
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        total.forEach((id, n) -> out.put(Map.of("child", id), (double) n.sum()));
        return out;
    }
}
