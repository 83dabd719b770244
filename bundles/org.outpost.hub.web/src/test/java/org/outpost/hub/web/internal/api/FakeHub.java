/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.ModuleIdentity;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.query.Condition;
import org.outpost.protocol.TwinDocument;

/** The hub's services in memory, as much of them as the resources use: devices with tags, empty twins. */
final class FakeHub {

    final Map<String, Device> devices = new TreeMap<>();
    final Map<String, ObjectNode> tags = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** Every call into the hub's services, by {@code Type.method}. */
    final Map<String, Integer> reads = new TreeMap<>();

    /** An answer the resources build as a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object answer) {
        return (Map<String, Object>) answer;
    }

    void add(String id, String site) {
        addBelow(id, site, null);
    }

    void addBelow(String id, String site, String parent) {
        devices.put(id, new Device(id, Instant.parse("2026-01-01T00:00:00Z"), null, 0, true, 0, false, parent));
        ObjectNode t = ApiJson.MAPPER.createObjectNode();
        if (site != null) {
            t.put("site", site);
        }
        tags.put(id, t);
    }

    DeviceRegistry registry() {
        return Stub.of(DeviceRegistry.class).countingInto(reads)
                .on("devices", a -> List.copyOf(devices.values()))
                .on("device", a -> Optional.ofNullable(devices.get((String) a[0])))
                .on("delete", a -> {
                    calls.add("delete " + a[0]);
                    tags.remove(a[0]);
                    return devices.remove((String) a[0]) != null;
                })
                .on("importDevices", a -> {
                    @SuppressWarnings("unchecked")
                    List<org.outpost.hub.api.NewDevice> news = (List<org.outpost.hub.api.NewDevice>) a[0];
                    news.forEach(n -> addBelow(n.id(), null, n.parentId()));
                    return Map.of(news.get(0).id(), "key-1");
                })
                .on("setEnabled", a -> {
                    calls.add("enabled " + a[0] + " " + a[1]);
                    return null;
                })
                .on("children", a -> devices.values().stream().filter(d -> a[0].equals(d.parentId())).toList())
                .on("descendants", a -> devices.values().stream().filter(d -> below(d.id(), (String) a[0]))
                        .toList())
                .on("setParent", a -> {
                    calls.add("parent " + a[0] + " " + a[1]);
                    if ("ghost".equals(a[1])) {
                        throw new IllegalArgumentException("no parent device 'ghost' is registered: register the"
                                + " gateway first");
                    }
                    Device d = devices.get((String) a[0]);
                    devices.put(d.id(), new Device(d.id(), d.created(), d.lastSeen(), d.messages(), d.enabled(),
                            d.connections(), d.secondaryKey(), (String) a[1]));
                    return null;
                })
                .on("rotateKey", a -> "new-key").build();
    }

    private boolean below(String id, String ancestor) {
        String at = devices.get(id).parentId();
        while (at != null) {
            if (at.equals(ancestor)) {
                return true;
            }
            at = devices.containsKey(at) ? devices.get(at).parentId() : null;
        }
        return false;
    }

    /** The module identities: {@code <device>/filter}, connected, for every device. */
    ModuleRegistry modules() {
        return Stub.of(ModuleRegistry.class)
                .on("modules", a -> List.of(filter((String) a[0])))
                .on("module", a -> Optional.ofNullable("filter".equals(a[1]) ? filter((String) a[0]) : null))
                .build();
    }

    private static ModuleIdentity filter(String device) {
        return new ModuleIdentity(device, "filter", "g1", Instant.parse("2026-01-02T00:00:00Z"), "$edgeAgent", true);
    }

    Twins twins() {
        return Stub.of(Twins.class).countingInto(reads)
                .on("tags", a -> tags.get((String) a[0]))
                .on("tagsOf", a -> {
                    Map<String, ObjectNode> out = new LinkedHashMap<>();
                    ((Collection<?>) a[0]).forEach(id -> Optional.ofNullable(tags.get(id)).ifPresent(t -> out.put(
                            (String) id, t)));
                    return out;
                })
                .on("twinsOf", a -> {
                    Map<String, TwinDocument> out = new LinkedHashMap<>();
                    ((Collection<?>) a[0]).stream().filter(devices::containsKey).forEach(id -> out.put((String) id,
                            TwinDocument.empty()));
                    return out;
                })
                .on("query", a -> devices.keySet().stream().filter(id -> ((Condition) a[0]).test(document(id)))
                        .toList())
                .on("patchTags", a -> {
                    calls.add("tags " + a[0] + " " + a[1]);
                    if (((String) a[1]).contains("bad")) {
                        throw new IllegalArgumentException("tags.bad: not allowed");
                    }
                    return tags.get((String) a[0]);
                })
                .on("twin", a -> TwinDocument.empty())
                .on("patchDesired", a -> {
                    calls.add("desired " + a[0] + " " + a[1] + " " + a[2]);
                    return TwinDocument.empty();
                })
                .on("conditionDocument", a -> document((String) a[0])).build();
    }

    private ObjectNode document(String id) {
        ObjectNode doc = ApiJson.MAPPER.createObjectNode();
        doc.put("deviceId", id);
        doc.set("tags", tags.get(id));
        return doc;
    }

    Deployments deployments() {
        return Stub.of(Deployments.class).countingInto(reads)
                .on("applied", a -> new EffectiveDesired(Optional.empty(), List.of(), Map.of()))
                .on("appliedTo", a -> Map.of()).build();
    }

    Telemetry telemetry() {
        return Stub.of(Telemetry.class).countingInto(reads).on("recent", a -> List.of()).on("received", a -> 42L)
                .on("receivedSince", a -> Instant.parse("2026-01-01T08:00:00Z")).build();
    }

    Fleet fleet() {
        return Stub.of(Fleet.class).on("modules", a -> List.of())
                .on("health", a -> new Fleet.Health(devices.size(), 0, 0, 1, List.of(), List.of(
                        new Fleet.FailedDeployment("a", "plant-1", "400 routes.r1: no such module")))).build();
    }
}
