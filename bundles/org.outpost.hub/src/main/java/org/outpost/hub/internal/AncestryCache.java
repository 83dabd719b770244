/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.outpost.hub.api.DeviceRegistry;

/**
 * The devices' parents, as far as they were asked for, so that checking every message a gateway publishes for a
 * device below it ({@link DeviceAuthenticator#authorize}) reads the database only once per device, not per message.
 * Forgotten whole at every change of the tree or of the registry, through any hub node ({@link DeviceEvents}): the
 * next check reads again. A parent read while the cache was being forgotten is not kept (it may be of before the
 * change).
 */
final class AncestryCache {

    /** Kept for a device without a parent (or not registered). */
    private static final String NONE = "";

    private final Function<String, Optional<String>> parentOf;
    private final Map<String, String> parents = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** @param parentOf reads a device's parent from the database */
    AncestryCache(Function<String, Optional<String>> parentOf) {
        this.parentOf = parentOf;
    }

    /** @return whether {@code id} is below {@code ancestor} (a child, grandchild, ...); false for the same device */
    boolean isBelow(String id, String ancestor) {
        String at = parent(id);
        for (int hops = 0; at != null && hops <= DeviceRegistry.MAX_DEPTH; hops++) {
            if (at.equals(ancestor)) {
                return true;
            }
            at = parent(at);
        }
        return false;
    }

    /** Forgets every parent kept. */
    void clear() {
        generation.incrementAndGet();
        parents.clear();
    }

    private String parent(String id) {
        String p = parents.get(id);
        if (p == null) {
            long before = generation.get();
            p = parentOf.apply(id).orElse(NONE);
            if (generation.get() == before) {
                parents.put(id, p);
            }
        }
        return p.equals(NONE) ? null : p;
    }
}
