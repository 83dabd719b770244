/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads modules get from {@link org.outpost.api.module.ModuleClient#threadFactory()}, and which modules lost one
 * to an uncaught exception: such a module counts as failed until its bundle stops.
 */
@Component(service = ModuleThreads.class)
public final class ModuleThreads {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleThreads.class);

    private final Map<String, String> deaths = new ConcurrentHashMap<>();
    private final ModuleAccounting accounting;

    @Activate
    public ModuleThreads(@Reference ModuleAccounting accounting) {
        this.accounting = accounting;
    }

    /**
     * @return a factory of daemon threads named {@code outpost-<module>-<n>} that report an uncaught exception, and
     *         whose CPU time and allocations are the module's ({@link ModuleAccounting})
     */
    ThreadFactory factory(String module) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                accounting.ownCurrentThread();
                r.run();
            }, "outpost-" + module + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> died(module, thread, e));
            accounting.own(module, t);
            return t;
        };
    }

    void died(String module, Thread thread, Throwable e) {
        String why = "its thread " + thread.getName() + " died at " + Instant.now() + ": " + e;
        LOG.error("Module {} failed: {}", module, why, e);
        deaths.putIfAbsent(module, why);
    }

    /** @return why the module is failed because a thread of it died, or null */
    String death(String module) {
        return deaths.get(module);
    }

    /** The module's bundle stopped: a new start begins with no dead thread. */
    void clear(String module) {
        deaths.remove(module);
    }
}
