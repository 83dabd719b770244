/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;

/** Messages sent and received per module since the gateway started. */
@Component(service = ModuleCounters.class)
public final class ModuleCounters {

    private final ConcurrentMap<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> received = new ConcurrentHashMap<>();

    void sent(String module) {
        sent.computeIfAbsent(module, m -> new LongAdder()).increment();
    }

    void received(String module) {
        received.computeIfAbsent(module, m -> new LongAdder()).increment();
    }

    long sentBy(String module) {
        LongAdder a = sent.get(module);
        return a == null ? 0 : a.sum();
    }

    long receivedBy(String module) {
        LongAdder a = received.get(module);
        return a == null ? 0 : a.sum();
    }
}
