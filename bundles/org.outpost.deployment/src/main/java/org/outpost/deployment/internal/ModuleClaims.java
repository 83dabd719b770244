/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ModuleSpec;

/**
 * Who works on which module now, so that the supervisor never waits for a deployment: a deployment claims the modules
 * it changes before it touches them, and the supervisor skips a claimed module (it looks again at its next tick)
 * instead of waiting, so a deployment stuck in a slow download stops the restarts of no other module. A deployment's
 * claim waits only for a restart the supervisor is making of one of its modules right now.
 * <p>
 * Its monitor guards the two sets and nothing else: it is never held while a module is installed, started, probed or
 * downloaded.
 */
final class ModuleClaims {

    private final Set<String> deploying = new HashSet<>();
    private final Set<String> supervising = new HashSet<>();

    /**
     * Claims modules for a deployment: from now on the supervisor leaves them alone; returns once the supervisor has
     * finished what it was doing with any of them.
     */
    synchronized void claim(Collection<String> modules) throws InterruptedException {
        deploying.addAll(modules);
        try {
            while (modules.stream().anyMatch(supervising::contains)) {
                wait();
            }
        } catch (InterruptedException e) {
            deploying.removeAll(modules);
            throw e;
        }
    }

    /** The deployment is done with its modules (after it made its outcome the running deployment). */
    synchronized void release(Collection<String> modules) {
        deploying.removeAll(modules);
    }

    /**
     * @param running the deployment that runs now
     * @return whether the supervisor may look after {@code spec} now: no deployment holds it and it is still the
     *         running deployment's (a deployment that removed or changed it made its outcome the running deployment
     *         before it let go); then it must call {@link #doneSupervising}
     */
    synchronized boolean trySupervise(ModuleSpec spec, Supplier<DeploymentManifest> running) {
        if (deploying.contains(spec.name()) || !spec.equals(running.get().modules().get(spec.name()))) {
            return false;
        }
        supervising.add(spec.name());
        return true;
    }

    synchronized void doneSupervising(String module) {
        supervising.remove(module);
        notifyAll();
    }

    /** @return the modules a deployment holds now */
    synchronized List<String> deploying() {
        return List.copyOf(deploying);
    }
}
