/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleOwner;

/**
 * Tells the runtime which modules the deployment owns. A component of its own, with no references, because the runtime
 * binds every owner while the deployment service itself needs the runtime: one component for both would be a circular
 * reference when they start.
 */
@Component(service = {ModuleOwner.class, DeployedModules.class})
public final class DeployedModules implements ModuleOwner {

    private volatile ModuleOwner deployment;

    /** Answers for the running deployment service, or for nobody with null. */
    void serve(ModuleOwner deployment) {
        this.deployment = deployment;
    }

    @Override
    public boolean manages(String module) {
        ModuleOwner d = deployment;
        return d != null && d.manages(module);
    }

    @Override
    public List<ModuleInfo> ownModules() {
        ModuleOwner d = deployment;
        return d == null ? List.of() : d.ownModules();
    }
}
