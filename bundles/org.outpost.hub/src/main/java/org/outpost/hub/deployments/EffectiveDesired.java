/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a device gets from the deployments that target it, as IoT Hub computes it: the base deployment of the highest
 * priority that targets it (ties: the newest, then the smallest id, so that every hub node picks the same), and over it
 * every layered deployment that targets it, lower priorities first (so a higher one wins where two set the same path).
 * Layered deployments apply only over a base: a device that no base deployment targets gets nothing from them.
 *
 * @param base the base deployment applied, if any
 * @param layers the layered deployments applied, in the order they were merged
 * @param desired per identity ({@code $edgeAgent}, {@code $edgeHub}, a module), its desired properties
 */
public record EffectiveDesired(Optional<String> base, List<String> layers, Map<String, ObjectNode> desired) {

    private static final String SECTION = "properties.desired";

    /** Orders deployments so that the last one wins: priority, then creation time, then (reversed) id. */
    private static final Comparator<HubDeployment> WINS_LAST = Comparator.comparingInt(HubDeployment::priority)
            .thenComparing(HubDeployment::createdTimeUtc)
            .thenComparing(HubDeployment::id, Comparator.reverseOrder());

    /**
     * @param twin the device's twin document, as conditions see it ({@code deviceId}, {@code tags},
     *            {@code properties})
     * @param deployments every deployment
     * @return what the device gets
     */
    public static EffectiveDesired of(JsonNode twin, Collection<HubDeployment> deployments) {
        HubDeployment base = deployments.stream().filter(d -> !d.layered() && d.targetCondition().test(twin))
                .max(WINS_LAST).orElse(null);
        if (base == null) {
            return new EffectiveDesired(Optional.empty(), List.of(), Map.of());
        }
        List<HubDeployment> layers = deployments.stream().filter(d -> d.layered() && d.targetCondition().test(twin))
                .sorted(WINS_LAST).toList();
        Map<String, ObjectNode> desired = new TreeMap<>();
        merge(desired, base);
        List<String> applied = new ArrayList<>();
        for (HubDeployment layer : layers) {
            merge(desired, layer);
            applied.add(layer.id());
        }
        return new EffectiveDesired(Optional.of(base.id()), List.copyOf(applied), desired);
    }

    private static void merge(Map<String, ObjectNode> desired, HubDeployment d) {
        ObjectNode content = d.modulesContent();
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> identity = it.next();
            ObjectNode target = desired.computeIfAbsent(identity.getKey(), k -> content.objectNode());
            for (Iterator<Map.Entry<String, JsonNode>> f = identity.getValue().fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> section = f.next();
                if (section.getKey().equals(SECTION)) {
                    mergeObject(target, (ObjectNode) section.getValue());
                } else {
                    setPath(target, section.getKey().substring(SECTION.length() + 1).split("\\."),
                            section.getValue());
                }
            }
        }
    }

    /** Merges objects key by key; anything else replaces what was there. */
    private static void mergeObject(ObjectNode target, ObjectNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode v) {
                mergeObject(o, v);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** Sets the value at a path (replacing it whole), making the objects on the way. */
    private static void setPath(ObjectNode target, String[] path, JsonNode value) {
        ObjectNode at = target;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = at.get(path[i]);
            if (!(next instanceof ObjectNode)) {
                next = at.putObject(path[i]);
            }
            at = (ObjectNode) next;
        }
        at.set(path[path.length - 1], value.deepCopy());
    }
}
