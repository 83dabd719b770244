/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleOwner;

/**
 * The {@link ModuleOwner}s bound now (the runtime's whiteboard): the deployment registers its running deployment and
 * its container processes, and no owner means every module is unmanaged.
 */
final class ModuleOwners {

    private final List<ModuleOwner> owners = new CopyOnWriteArrayList<>();

    void add(ModuleOwner owner) {
        owners.add(owner);
    }

    void remove(ModuleOwner owner) {
        owners.remove(owner);
    }

    /** @return whether an owner says {@code module} is its own */
    boolean manage(String module) {
        return owners.stream().anyMatch(o -> o.manages(module));
    }

    /**
     * @param seen the names of the modules the runtime sees itself (bundles): the same name in an owner's list is left
     *            out, the runtime's own wins
     * @return the modules that are not bundles (such as container modules), each name once, the first owner's first
     */
    List<ModuleInfo> ownModules(Set<String> seen) {
        Set<String> names = new HashSet<>(seen);
        List<ModuleInfo> out = new ArrayList<>();
        for (ModuleOwner o : owners) {
            o.ownModules().stream().filter(m -> names.add(m.name())).forEach(out::add);
        }
        return out;
    }
}
