/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The children's cloud-to-device messages the hub handed to the relay and the child has not acknowledged yet, in
 * memory only: the hub keeps each until the relay acknowledges it, which it does when the child did here
 * ({@link #delivered}). When a relay connection ends its messages here are dropped: the hub sends them again on the
 * next one. The gateway's IoT Hub endpoint reads them as its {@link CloudToDeviceSource}.
 */
final class RelayedCloudToDevice implements CloudToDeviceSource {

    /** Acknowledges a message to the hub, on the connection it came on (if that connection is still up). */
    @FunctionalInterface
    interface Ack {
        void ack();
    }

    private record Held(CloudToDeviceMessage message, Ack ack) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RelayedCloudToDevice.class);

    private final Map<String, List<Held>> held = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();

    /** A message from the hub for this identity: kept until the child acknowledges it. */
    void arrived(Identity identity, Map<String, String> properties, byte[] body, Ack ack) {
        CloudToDeviceMessage m = new CloudToDeviceMessage(seqs.incrementAndGet(), properties, body);
        held.computeIfAbsent(identity.id(), k -> new CopyOnWriteArrayList<>()).add(new Held(m, ack));
        for (Runnable r : listeners.getOrDefault(identity.id(), List.of())) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("A cloud-to-device listener of {} failed: {}", identity, e.toString());
            }
        }
    }

    /** The identity's relay connection ended: what it held is dropped (the hub sends it again). */
    void dropAll(Identity identity) {
        held.remove(identity.id());
    }

    /** @return messages held for the identity, not acknowledged by it yet */
    int pending(Identity identity) {
        return held.getOrDefault(identity.id(), List.of()).size();
    }

    @Override
    public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
        List<CloudToDeviceMessage> out = new ArrayList<>();
        for (Held h : held.getOrDefault(identity.id(), List.of())) {
            if (out.size() >= max) {
                break;
            }
            if (h.message().seq() > afterSeq) {
                out.add(h.message());
            }
        }
        return out;
    }

    @Override
    public void delivered(Identity identity, CloudToDeviceMessage message) {
        List<Held> list = held.get(identity.id());
        if (list == null) {
            return;
        }
        for (Held h : list) {
            if (h.message().seq() == message.seq()) {
                list.remove(h);
                h.ack().ack();
                return;
            }
        }
    }

    @Override
    public Subscription onMessage(Identity identity, Runnable arrived) {
        List<Runnable> list = listeners.computeIfAbsent(identity.id(), k -> new CopyOnWriteArrayList<>());
        list.add(arrived);
        return () -> list.remove(arrived);
    }
}
