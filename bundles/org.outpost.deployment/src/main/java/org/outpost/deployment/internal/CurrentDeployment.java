/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.deployment.api.RunningDeployment;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ModuleSpec;

/**
 * The deployment that runs now. The deployment service loads it when it starts and replaces it when a deployment has
 * been applied; the runtime asks it which modules are managed ({@link ModuleOwner}), the module twins which PID a
 * module's configuration has and which it may not have ({@link RunningDeployment}, the deployment policy's
 * {@link ConfigPids}). It references nothing: the runtime and the twins bind it without reaching the deployment
 * service, which itself needs the runtime and, through it, module components.
 */
@Component(service = {CurrentDeployment.class, RunningDeployment.class, ModuleOwner.class},
        configurationPid = DeploymentService.PID)
public final class CurrentDeployment implements RunningDeployment, ModuleOwner {

    private final ConfigPids pids;
    private volatile DeploymentManifest deployment = DeploymentStore.empty();

    @Activate
    public CurrentDeployment(DeploymentConfig config) {
        this.pids = ConfigPids.of(config);
    }

    /** @return the deployment that runs now; empty (no modules) while the deployment service does not run */
    DeploymentManifest get() {
        return deployment;
    }

    /** The deployment service runs {@code running} now. */
    void set(DeploymentManifest running) {
        this.deployment = running;
    }

    /** The deployment service stopped: nobody answers for any module. */
    void clear() {
        this.deployment = DeploymentStore.empty();
    }

    @Override
    public boolean contains(String module) {
        return deployment.modules().containsKey(module);
    }

    @Override
    public Optional<String> configurationPid(String module) {
        return Optional.ofNullable(deployment.modules().get(module)).map(ModuleSpec::configPid);
    }

    @Override
    public Optional<String> configurationRefused(String module, String pid) {
        return Optional.ofNullable(pids.why(module, pid));
    }

    @Override
    public boolean manages(String module) {
        return contains(module);
    }
}
