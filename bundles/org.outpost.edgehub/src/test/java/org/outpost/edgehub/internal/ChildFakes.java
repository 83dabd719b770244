/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.outpost.downstream.api.ChildRelay;
import org.outpost.downstream.api.ChildScope;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.DesiredPatchListener;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.DeviceScope;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/** The downstream bundle's services as the endpoint uses them: a scope in memory and a relay that records. */
final class ChildFakes {

    private ChildFakes() {
    }

    /** A device scope in memory (the real one seals it on disk: the downstream bundle's own tests). */
    static final class Scope implements ChildScope {
        private volatile DeviceScope current;
        private final List<Consumer<DeviceScope>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Optional<DeviceScope> current() {
            return Optional.ofNullable(current);
        }

        @Override
        public void replace(DeviceScope scope) {
            if (current != null && scope.version() <= current.version()) {
                return;
            }
            current = scope;
            listeners.forEach(l -> l.accept(scope));
        }

        @Override
        public AutoCloseable onChange(Consumer<DeviceScope> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    /** Records what the endpoint asks of the relay; keeps twins in memory; holds C2D messages to hand out. */
    static final class Relay implements ChildRelay {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<String, Methods> methods = new ConcurrentHashMap<>();
        final List<DesiredPatchListener> desired = new CopyOnWriteArrayList<>();
        final Map<String, List<CloudToDeviceMessage>> c2d = new ConcurrentHashMap<>();
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final Map<String, Runnable> arrivals = new ConcurrentHashMap<>();

        @Override
        public void connected(Identity child, Methods m) {
            calls.add("connected " + child + " " + child.kind());
            methods.put(child.id(), m);
        }

        @Override
        public void disconnected(Identity child) {
            calls.add("disconnected " + child);
            methods.remove(child.id());
        }

        @Override
        public TwinDocument twin(Identity child) {
            calls.add("twin " + child);
            return TwinDocument.empty().patchReported("{\"relayed\":\"" + child.id() + "\"}", TwinLimits.IOT_HUB);
        }

        @Override
        public TwinDocument patchReported(Identity child, String patchJson) {
            calls.add("reported " + child + " " + patchJson);
            return TwinDocument.empty().patchReported(patchJson, TwinLimits.IOT_HUB);
        }

        @Override
        public Subscription onDesiredPatch(DesiredPatchListener listener) {
            desired.add(listener);
            return () -> desired.remove(listener);
        }

        void send(String deviceId, CloudToDeviceMessage m) {
            c2d.computeIfAbsent(deviceId, d -> new CopyOnWriteArrayList<>()).add(m);
            Runnable r = arrivals.get(deviceId);
            if (r != null) {
                r.run();
            }
        }

        @Override
        public CloudToDeviceSource cloudToDevice() {
            return new CloudToDeviceSource() {
                @Override
                public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
                    List<CloudToDeviceMessage> out = new ArrayList<>();
                    for (CloudToDeviceMessage m : c2d.getOrDefault(identity.deviceId(), List.of())) {
                        if (m.seq() > afterSeq && out.size() < max) {
                            out.add(m);
                        }
                    }
                    return out;
                }

                @Override
                public void delivered(Identity identity, CloudToDeviceMessage message) {
                    delivered.add(identity + " " + message.seq());
                    c2d.getOrDefault(identity.deviceId(), new ArrayList<>()).remove(message);
                }

                @Override
                public Subscription onMessage(Identity identity, Runnable arrived) {
                    arrivals.put(identity.deviceId(), arrived);
                    return () -> arrivals.remove(identity.deviceId());
                }
            };
        }

        @Override
        public IdentityRegistry.Answer putModule(Identity child, String moduleId, String bodyJson) {
            calls.add("putModule " + child + " " + moduleId);
            return new IdentityRegistry.Answer(200, bodyJson);
        }

        @Override
        public IdentityRegistry.Answer deleteModule(Identity child, String moduleId) {
            calls.add("deleteModule " + child + " " + moduleId);
            return new IdentityRegistry.Answer(204, "");
        }

        @Override
        public List<Link> links() {
            return methods.keySet().stream().map(id -> new Link(Identity.claimedBy(id).orElseThrow(), true, Instant
                    .EPOCH, 0, 0)).toList();
        }

        /** @return a call of a method on a child through the endpoint, as the relay makes it */
        java.util.concurrent.CompletionStage<org.outpost.iothub.spi.MethodResult> invoke(Identity child,
                String method) {
            return methods.get(child.id()).invoke(child, method, "{}", Duration.ofSeconds(10));
        }
    }
}
