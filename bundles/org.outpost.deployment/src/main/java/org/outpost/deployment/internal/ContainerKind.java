/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.LogQuery;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container modules ({@code container}, {@code docker} in IoT Edge manifests): a process each, run directly or through
 * a container engine (see {@link ContainerModules}). Processes do not outlive the gateway: they stop with this
 * component, and the running deployment's start again with it. Configured by the deployment service's PID
 * ({@code container.engines}, {@code container.log.max.kb}, {@code container.pull.timeout.seconds},
 * {@code container.network}); what a container module may ask of the gateway is the deployment policy's
 * ({@link ContainerPolicy}), checked by the deployment service.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=container",
        configurationPid = DeploymentService.PID)
public final class ContainerKind implements ModuleKind {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final ContainerModules containers;

    @Activate
    public ContainerKind(BundleContext context, @Reference ModuleAccess access,
            @Reference ModuleIdentities identities, @Reference ContainerProcesses processes,
            DeploymentConfig config) {
        this(new ContainerModules(outpostData(context).resolve("containers"), access, identities,
                new RegistryAuth(outpostData(context).resolve("registry")), processes,
                DeploymentService.list(config.container_engines()), Math.max(16, config.container_log_max_kb())
                        * 1024L, Duration.ofSeconds(Math.max(10, config.container_pull_timeout_seconds())),
                config.container_network(), java.util.Set.copyOf(DeploymentService.list(
                        config.process_environment_inherit()))));
    }

    private static Path outpostData(BundleContext context) {
        return Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost");
    }

    ContainerKind(ContainerModules containers) {
        this.containers = containers;
    }

    @Deactivate
    void deactivate() {
        containers.stopAll();
    }

    @Override
    public void check(ModuleSpec spec) throws ManifestException {
        containers.checkSupported(spec);
    }

    /** Puts the deployment's registry credentials where the engine reads them (and back, if it is undone). */
    @Override
    public String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) throws Exception {
        containers.registry().update(deployment.registryCredentials(), undo);
        return null;
    }

    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        boolean run = spec.status() == DesiredStatus.RUNNING;
        containers.install(spec, run, true);
        return run;
    }

    @Override
    public void remove(ModuleSpec spec) throws Exception {
        containers.remove(spec.name());
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) throws Exception {
        ProcessModule p = containers.get(spec.name());
        if (p == null) {
            p = containers.install(spec, false, true);
        }
        if (running) {
            p.start();
        } else {
            p.stop();
        }
    }

    @Override
    public boolean restart(ModuleSpec spec) throws Exception {
        setRunning(spec, false);
        setRunning(spec, true);
        return true;
    }

    @Override
    public boolean resume(ModuleSpec spec) {
        if (containers.has(spec.name())) {
            return false;
        }
        try {
            // The gateway starts again: the image the engine has runs, without a pull (which an offline gateway
            // could not do).
            boolean run = spec.status() == DesiredStatus.RUNNING;
            containers.install(spec, run, false);
            return run;
        } catch (Exception e) {
            LOG.error("Container module {} did not start: {}", spec.name(), e.getMessage());
            return false;
        }
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        return containers.info(spec);
    }

    @Override
    public String deadReason(ModuleSpec spec) {
        ProcessModule p = containers.get(spec.name());
        return p == null ? null : p.startError();
    }

    @Override
    public ProcessBuilder healthCommand(ModuleSpec spec, List<String> command) {
        ProcessModule p = containers.get(spec.name());
        if (p == null) {
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(p.directory().toFile());
        p.environment(pb);
        return pb;
    }

    @Override
    public Optional<List<String>> logs(ModuleSpec spec, LogQuery query) throws IOException {
        ProcessModule p = containers.get(spec.name());
        return Optional.of(p == null ? List.of() : ModuleLogs.container(p.log(), query));
    }

    @Override
    public Integer exitCode(ModuleSpec spec) {
        ProcessModule p = containers.get(spec.name());
        return p == null ? null : p.exitCode();
    }

    @Override
    public Instant lastExit(ModuleSpec spec) {
        ProcessModule p = containers.get(spec.name());
        return p == null ? null : p.lastExit();
    }
}
