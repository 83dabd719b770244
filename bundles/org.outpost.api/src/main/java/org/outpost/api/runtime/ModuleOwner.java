/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whoever manages modules (the deployment) says which are its own; the others, e.g. bundles dropped into
 * {@code deploy/} by hand, show as unmanaged. The runtime binds every owner registered (a whiteboard), so an owner must
 * not need the runtime: registered from a component that references nothing of it, it never closes a service cycle.
 */
@ConsumerType
public interface ModuleOwner {

    /** @return whether {@code module} is part of the current deployment */
    boolean manages(String module);

    /** @return the modules it runs that are not bundles, such as container modules */
    default java.util.List<ModuleInfo> ownModules() {
        return java.util.List.of();
    }

    /**
     * @return the process id of each of its own modules that runs now (those of {@link #ownModules()}): its program,
     *         or for a container its main process as the host sees it. The runtime samples their CPU and memory, with
     *         their descendants', on its accounting timer ({@link ModuleResources}).
     */
    default java.util.Map<String, Long> processes() {
        return java.util.Map.of();
    }
}
