/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.DaemonThreads;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.LogQuery;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ManifestParser;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.Planner;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment service. A deployment is checked whole first (shape, module kinds, locations, routes, feature
 * resolution); then its plan is applied step by step, each step with its undo ({@link Transaction}); changed modules
 * get a probation window to reach running. Any failure undoes the steps taken, newest first, so the last good
 * deployment is back, and is reported as 500 with the reason. A good deployment is kept in
 * {@code ${karaf.data}/outpost/deployment/current.json} ({@link DeploymentStore}) and, for the runtime and the twins,
 * in {@link CurrentDeployment}; a {@link Supervisor} keeps its modules running as their restart policies say. What
 * differs per kind of module is a {@link ModuleKind} service.
 * <p>
 * Deployments run one at a time (under {@link #deploying}); the supervisor runs on its own thread and never waits for
 * one: it skips the modules a deployment holds ({@link ModuleClaims}), so a deployment stuck in a slow download does
 * not stop the restarts of the modules it does not change.
 */
@Component(service = Deployer.class, configurationPid = DeploymentService.PID, immediate = true,
        // The built-in kinds (bundle, feature, container) are there before anything is deployed or resumed.
        property = DeploymentService.KINDS + ".cardinality.minimum:Integer=3")
@Designate(ocd = DeploymentConfig.class)
public final class DeploymentService implements Deployer {

    static final String PID = "org.outpost.deployment";
    static final String KINDS = "kinds";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final BundleContext context;
    private final Routing routing;
    private final CurrentDeployment running;
    private final ModuleBundles bundles;
    private final ManifestParser parser;
    private final DeploymentPolicy policy;
    private final DeploymentStore store;
    private final AgentMetrics agentMetrics;
    private final ModuleKinds kinds;
    private final Supervisor supervisor;
    private final StatusView statusView;
    private final Transaction transaction;
    private final DeploymentIdentities identities;
    private final String deploymentFileName;
    private final ModuleClaims claims = new ModuleClaims();
    /** Held by a deployment (and a kind's resume) from start to end: deployments never overlap. */
    private final Object deploying = new Object();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-supervisor"));
    /** Deployments of the deployment file and resumes of kinds: never on the supervisor's thread. */
    private final ExecutorService deployments = Executors.newSingleThreadExecutor(
            DaemonThreads.named("outpost-deployment"));
    /** Null until this gateway has had a deployment. */
    private volatile DeploymentStatus.Outcome lastOutcome;
    private volatile long lastDesiredVersion;
    private volatile DeploymentFile deploymentFile;
    /** Modules of the saved deployment that the policy refused at start (not run), with why; empty after a deploy. */
    private volatile Map<String, String> refused = Map.of();

    @Activate
    public DeploymentService(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference Routing routing, @Reference EdgeRuntime runtime, @Reference CurrentDeployment running,
            @Reference ModuleIdentities moduleIdentities, @Reference Metrics metrics, DeploymentConfig config) {
        this.context = context;
        this.running = running;
        this.routing = routing;
        this.bundles = new ModuleBundles(context, runtime);
        String home = Objects.requireNonNullElse(context.getProperty("karaf.home"), ".");
        String data = Objects.requireNonNullElse(context.getProperty("karaf.data"), "data");
        this.agentMetrics = new AgentMetrics(metrics, List.of(Path.of(data), Path.of(home)));
        this.kinds = new ModuleKinds(agentMetrics);
        this.policy = DeploymentPolicy.of(config, home, data);
        this.parser = policy.parser();
        this.store = new DeploymentStore(Path.of(data, "outpost", "deployment"));
        this.supervisor = new Supervisor(kinds, new HealthProbes(context, Duration.ofSeconds(Math.max(1,
                config.health_interval_seconds()))), Supervisor.Settings.of(config), this::supervised, claims,
                this::started, Ticker.SYSTEM, Clock.systemUTC());
        this.statusView = new StatusView(kinds, supervisor);
        this.identities = new DeploymentIdentities(moduleIdentities);
        this.transaction = new Transaction(kinds, routing, new ModuleConfigurations(configurationAdmin), identities,
                Duration.ofSeconds(Math.max(1, config.probation_seconds())), this::started);
        this.lastDesiredVersion = store.readVersion();
        running.set(store.loadCurrent(DeploymentPolicy.savedParser()));
        identities.reconcile(running.get());
        this.refused = policy.refusals(running.get());
        refused.forEach((m, why) -> LOG.error("Module {} of the saved deployment is not run: the deployment policy"
                + " (etc/{}.cfg) refuses it now: {}. Deploy again without it, or change the policy", m, PID, why));
        this.lastOutcome = !store.hasCurrent() ? null : refused.isEmpty() ? new DeploymentStatus.Outcome(200, "")
                : new DeploymentStatus.Outcome(400, "the saved deployment is refused at start by the deployment"
                        + " policy; not run: " + String.join("; ", refused.values()));
        this.deploymentFileName = config.deployment_file();
    }

    /** Runs after the kinds are bound: each has had its modules resumed (see {@link #bindKind}). */
    @Activate
    void activate() {
        executor.scheduleWithFixedDelay(this::supervise, 500, 500, TimeUnit.MILLISECONDS);
        String etc = Objects.requireNonNullElse(context.getProperty("karaf.etc"), "etc");
        this.deploymentFile = deploymentFileName.isBlank() ? null : new DeploymentFile(Path.of(etc).resolve(
                deploymentFileName), m -> deploy(m, false), store::readCurrent, deployments);
    }

    @Deactivate
    void deactivate() {
        running.clear();
        DeploymentFile file = deploymentFile;
        if (file != null) {
            file.close();
        }
        executor.shutdownNow();
        deployments.shutdownNow();
        supervisor.close();
        agentMetrics.close();
    }

    /** A module kind came: the running deployment's modules of that kind are resumed (processes start again). */
    @Reference(name = KINDS, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindKind(ModuleKind kind, Map<String, Object> properties) {
        String name = ModuleKinds.nameOf(properties);
        if (name == null) {
            LOG.warn("Ignoring module kind {}: it has no {} property", kind, ModuleKind.KIND);
        } else if (!kinds.add(name, kind)) {
            LOG.warn("Ignoring module kind {}: another runs '{}' modules", kind, name);
        } else {
            deployments.execute(() -> {
                resume(name);
                DeploymentFile file = deploymentFile;
                if (file != null) {
                    file.kindArrived();
                }
            });
        }
    }

    void unbindKind(ModuleKind kind, Map<String, Object> properties) {
        String name = ModuleKinds.nameOf(properties);
        if (name != null) {
            kinds.remove(name, kind);
        }
    }

    private void resume(String kindName) {
        synchronized (deploying) {
            kinds.resume(kindName, allowed(), this::started);
            Map<String, String> out = refused;
            current().modules().values().stream().filter(m -> out.containsKey(m.name()) && ModuleKinds.nameOf(m)
                    .equals(kindName)).forEach(m -> kinds.hold(m, out.get(m.name())));
        }
    }

    /** @return the running deployment's modules but those the policy refused at start */
    private List<ModuleSpec> allowed() {
        Map<String, String> out = refused;
        return current().modules().values().stream().filter(m -> !out.containsKey(m.name())).toList();
    }

    /** @return the running deployment as the supervisor keeps it: without the modules the policy refused at start */
    private DeploymentManifest supervised() {
        DeploymentManifest now = current();
        Map<String, String> out = refused;
        if (out.isEmpty()) {
            return now;
        }
        Map<String, ModuleSpec> kept = new java.util.LinkedHashMap<>(now.modules());
        kept.keySet().removeAll(out.keySet());
        return new DeploymentManifest(now.schemaVersion(), now.featureRepositories(), kept, now.edgeHub(),
                now.moduleTwins(), now.registryCredentials(), now.warnings());
    }

    private void started(String module) {
        statusView.started(module);
    }

    /** Keeps deployed modules running as their restart policies say; those a deployment holds are left to it. */
    private void supervise() {
        try {
            supervisor.tick();
            agentMetrics.availability(current().modules().values(), spec -> {
                ModuleKind kind = kinds.of(spec);
                return kind == null ? null : kind.info(spec);
            }, System.nanoTime());
        } catch (RuntimeException e) {
            LOG.error("Supervising the modules failed (tried again shortly): {}", e.toString(), e);
        }
    }

    @Override
    public DeploymentResult deploy(String manifestJson, boolean dryRun) {
        long t0 = System.nanoTime();
        DeploymentResult r;
        synchronized (deploying) {
            r = deployTimed(manifestJson, dryRun);
        }
        if (!dryRun && r.code() == 200) {
            agentMetrics.deployed(System.nanoTime() - t0);
        }
        return new DeploymentResult(r.code(), r.description(), r.steps(), r.dryRun(),
                (System.nanoTime() - t0) / 1_000_000, r.warnings());
    }

    private DeploymentResult deployTimed(String manifestJson, boolean dryRun) {
        if (!dryRun) {
            lastDesiredVersion = store.noteVersion(manifestJson, lastDesiredVersion);
        }
        DeploymentManifest next;
        try {
            next = parser.parse(manifestJson);
            policy.check(next);
            kinds.check(next);
        } catch (ManifestException e) {
            return refused(e.code(), e.getMessage(), dryRun);
        }
        if (next.edgeHub() != null) {
            try {
                routing.checkRoutes(next.edgeHub());
            } catch (IllegalArgumentException e) {
                return refused(400, "400 modulesContent.$edgeHub.properties.desired: " + e.getMessage(), dryRun);
            } catch (IllegalStateException e) {
                // Known before anything changes, also in a dry run: no module is touched for routes that cannot go.
                return refused(409, "409 modulesContent.$edgeHub: " + e.getMessage() + " (nothing was changed;"
                        + " leave $edgeHub out of the manifest to deploy its modules)", dryRun);
            }
        }
        next.warnings().forEach(w -> LOG.warn("Deployment{}: not honoured: {}", dryRun ? " (dry run)" : "", w));
        DeploymentManifest current = current();
        List<Planner.Step> plan = Planner.plan(current.modules(), next);
        List<DeploymentResult.PlannedStep> steps = transaction.steps(plan, current);
        // The modules it changes are the deployment's from now on: the supervisor leaves them alone until it is done.
        List<String> held = plan.stream().filter(st -> st.action() != Planner.Action.KEEP).map(Planner.Step::module)
                .toList();
        try {
            claims.claim(held);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeploymentResult(503, "503 the gateway is stopping; deploy again when it runs", steps, dryRun, 0,
                    next.warnings());
        }
        try {
            return apply(manifestJson, dryRun, next, current, plan, steps);
        } finally {
            claims.release(held);
        }
    }

    private DeploymentResult apply(String manifestJson, boolean dryRun, DeploymentManifest next,
            DeploymentManifest current, List<Planner.Step> plan, List<DeploymentResult.PlannedStep> steps) {
        UndoLog undo = new UndoLog();
        try {
            String notResolvable = transaction.prepare(next, undo);
            if (notResolvable != null) {
                undo.rollBack();
                return refused(400, notResolvable, dryRun);
            }
            if (dryRun) {
                undo.rollBack();
                return new DeploymentResult(200, "", steps, true, 0, next.warnings());
            }
            List<String> removed = transaction.apply(current, next, plan, undo);
            store.saveCurrent(manifestJson);
            identities.deleteRemoved(removed);
            // Changed modules start their restart statistics afresh.
            plan.stream().filter(st -> st.action() != Planner.Action.KEEP).forEach(st -> supervisor.forget(
                    st.module()));
            running.set(next);
            refused = Map.of();
            lastOutcome = new DeploymentStatus.Outcome(200, "");
            LOG.info("Deployment applied: {}", steps);
            return new DeploymentResult(200, "", steps, false, 0, next.warnings());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("Deployment failed, rolling back to the last good deployment: {}", reason);
            undo.rollBack();
            String description = "500 " + reason + "; rolled back to the last good deployment";
            lastOutcome = new DeploymentStatus.Outcome(500, description);
            return new DeploymentResult(500, description, steps, false, 0, next.warnings());
        }
    }

    private DeploymentResult refused(int code, String description, boolean dryRun) {
        if (!dryRun) {
            lastOutcome = new DeploymentStatus.Outcome(code, description);
        }
        return new DeploymentResult(code, description, List.of(), dryRun, 0);
    }

    /** @return the values of a list setting: a .cfg file gives them as one comma-separated value */
    static List<String> list(String[] values) {
        return Arrays.stream(values).flatMap(e -> Arrays.stream(e.split(","))).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
    }

    @Override
    public List<String> logs(String module, LogQuery query) throws IOException {
        ModuleSpec spec = current().modules().get(module);
        ModuleKind kind = spec == null ? null : kinds.of(spec);
        Optional<List<String>> own = kind == null ? Optional.empty() : kind.logs(spec, query);
        return own.isPresent() ? own.get() : bundles.logs(module, query);
    }

    @Override
    public void restart(String module) throws Exception {
        ModuleSpec spec = current().modules().get(module);
        ModuleKind kind = spec == null ? null : kinds.of(spec);
        if (kind == null) {
            bundles.restart(module);
            started(module);
            return;
        }
        LOG.info("Restarting module {} on request", module);
        if (kind.restart(spec)) {
            started(module);
        }
    }

    @Override
    public Optional<String> configurationPid(String module) {
        return running.configurationPid(module);
    }

    /** @return the deployment that runs now, as {@link CurrentDeployment} holds it for everyone */
    private DeploymentManifest current() {
        return running.get();
    }

    @Override
    public DeploymentStatus status() {
        return statusView.status(lastDesiredVersion, lastOutcome, current(), refused);
    }
}
