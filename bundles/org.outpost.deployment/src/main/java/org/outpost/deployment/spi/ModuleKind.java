/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.LogQuery;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;

/**
 * One kind of module a deployment manifest may name: how modules of that kind are checked, installed, started,
 * stopped, removed and watched. The deployment service binds every kind as a whiteboard service and keeps the rest to
 * itself: the transaction (plan, undo, probation), the supervisor (restart policies with back-off), the persisted state
 * and the status.
 * <p>
 * A kind is registered with the service property {@value #KIND} naming the module type it runs, as the manifest's
 * module {@code type} reads once parsed: {@code bundle}, {@code feature} or {@code container} ({@code docker} in IoT
 * Edge manifests is {@code container}). A manifest naming a kind that is not registered is refused (400) before
 * anything changes. A deployment and the supervisor never call a kind at the same time; status, logs, the runtime's
 * listing and restarts on request may come from other threads, so a kind is thread-safe.
 */
@ConsumerType
public interface ModuleKind {

    /** The service property that names the kind: {@code bundle}, {@code feature} or {@code container}. */
    String KIND = "outpost.module.kind";

    /**
     * Checks a module of this kind before anything is changed: whatever this gateway needs to run it is there.
     *
     * @throws ManifestException (400) saying what is missing and where in the manifest
     */
    default void check(ModuleSpec spec) throws ManifestException {
    }

    /**
     * Prepares the deployment's modules of this kind without installing them, and says whether they can be installed
     * (e.g. feature repositories are added and the features resolved). Runs for dry runs too; what it changes is
     * pushed onto {@code undo}, which a dry run or a failure rolls back.
     *
     * @param modules the deployment's modules of this kind, at least one
     * @return why the deployment cannot be applied ({@code 400 <where>: <why>}), or null if it can
     */
    default String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) throws Exception {
        return null;
    }

    /**
     * @param running a module as it runs now, about to be replaced or removed
     * @return what else replacing or removing it touches, appended to the plan's reason (such as
     *         {@code "; refreshes org.acme.lib"}), or empty
     */
    default String reach(ModuleSpec running) {
        return "";
    }

    /**
     * Installs a module (or reuses what is installed) and starts it if its desired status is running. The
     * transaction undoes it with {@link #remove}.
     *
     * @return whether the module was started
     * @throws Exception if it cannot be installed or started, saying why
     */
    boolean install(ModuleSpec spec) throws Exception;

    /** Removes a module: stops it and uninstalls what {@link #install} installed. Nothing to do if it is not there. */
    void remove(ModuleSpec spec) throws Exception;

    /**
     * Starts or stops an installed module (its desired status changed).
     *
     * @throws Exception if modules of this kind cannot be stopped and started, or this one is not installed
     */
    void setRunning(ModuleSpec spec, boolean running) throws Exception;

    /**
     * Restarts a deployed module (its restart policy or an operator asks): stops it if it runs and starts it again,
     * or installs it again if it is gone.
     *
     * @return whether the module was started
     */
    boolean restart(ModuleSpec spec) throws Exception;

    /**
     * The gateway (or this kind) started with this module in the running deployment: brings the module back if it does
     * not outlive the gateway, as a process does not. Reports its own failures.
     *
     * @return whether the module was started
     */
    default boolean resume(ModuleSpec spec) {
        return false;
    }

    /** @return the module as the runtime lists it (its state and why), or null if it is not known */
    ModuleInfo info(ModuleSpec spec);

    /**
     * @return whether the module is between states for a reason of its own and is to be waited for rather than taken
     *         as failed while on probation (a bundle the framework is refreshing)
     */
    default boolean settling(ModuleSpec spec) {
        return false;
    }

    /**
     * @return why the module cannot run at all, so that restarting it is no use (its program cannot be started, its
     *         bundle was uninstalled outside the deployment), or null
     */
    default String deadReason(ModuleSpec spec) {
        return null;
    }

    /**
     * @param deployed the running deployment's modules of this kind
     * @return those that run outside the framework, as the runtime lists them (the runtime sees bundles itself)
     * @deprecated no longer called: the runtime would reach the kind through the deployment service, which needs the
     *             runtime. A kind whose modules run outside the framework registers an
     *             {@link org.outpost.api.runtime.ModuleOwner} for them instead, from a component that references
     *             nothing of the runtime (the container kind's {@code ContainerProcesses}).
     */
    @Deprecated
    default List<ModuleInfo> ownModules(Collection<ModuleSpec> deployed) {
        return List.of();
    }

    /**
     * @param command the module's health command ({@code settings.healthCheck.command})
     * @return the command prepared to run where the module runs (its directory and environment), or null if the module
     *         has no such place now (health is then asked of the bundle's health check services)
     */
    default ProcessBuilder healthCommand(ModuleSpec spec, List<String> command) {
        return null;
    }

    /**
     * @return the module's log entries matching {@code query}, if the kind keeps the module's log (a process's
     *         output); empty if the module logs to the gateway log
     */
    default Optional<List<String>> logs(ModuleSpec spec, LogQuery query) throws IOException {
        return Optional.empty();
    }

    /** @return the exit code of the module's last run, for a kind that runs processes, or null */
    default Integer exitCode(ModuleSpec spec) {
        return null;
    }

    /** @return when the module's process last ended, for a kind that runs processes, or null */
    default Instant lastExit(ModuleSpec spec) {
        return null;
    }
}
