/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Per-module resource accounting, offered by the runtime: CPU time and allocated bytes of bundle modules (the threads a
 * module owns, and the runtime's threads while they work for it), and CPU and memory of process and container modules
 * as their {@link ModuleOwner} reports them. Values are sampled on a slow timer; reading them costs nothing.
 * <p>
 * Runtime bundles that call into a module on their own threads (twin and method callbacks) wrap the call:
 *
 * <pre>{@code
 * try (ModuleResources.Measurement m = resources.measure(module)) {
 *     handler.onMethod(request);
 * }
 * }</pre>
 */
@ProviderType
public interface ModuleResources {

    /** An open measurement of the current thread's work for a module; {@link #close()} on the same thread. */
    interface Measurement extends AutoCloseable {
        @Override
        void close();
    }

    /** @return every module's usage as last sampled, sorted by module */
    List<ModuleUsage> usage();

    /** @return the module's usage as last sampled, if it was seen */
    Optional<ModuleUsage> usage(String module);

    /**
     * Starts counting the current thread's CPU time and allocations for {@code module}, until closed. A measurement
     * inside another (or on a thread the module owns) counts nothing more: the outer one has it. Costs two reads of the
     * thread's CPU clock; nothing at all while accounting is off.
     */
    Measurement measure(String module);
}
