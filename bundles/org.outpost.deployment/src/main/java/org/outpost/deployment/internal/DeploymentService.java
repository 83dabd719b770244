/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.WatchedFile;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.api.runtime.ModuleState;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.deployment.api.LogQuery;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.LocationPolicy;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ManifestParser;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.Planner;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment service. A deployment is checked whole first (shape, locations, routes, feature resolution); then
 * its plan is applied step by step, each step with its undo; changed modules get a probation window to reach
 * running. Any failure undoes the steps taken, newest first, so the last good deployment is back, and is reported
 * as 500 with the reason. A good deployment is kept in {@code ${karaf.data}/outpost/deployment/current.json}.
 */
@Component(service = Deployer.class, configurationPid = DeploymentService.PID, immediate = true)
@Designate(ocd = DeploymentService.Config.class)
public final class DeploymentService implements Deployer, ModuleOwner {

    @ObjectClassDefinition(name = "Outpost deployment", description = "Applies IoT Edge deployment manifests.")
    public @interface Config {
        @AttributeDefinition(description = "URL schemes bundle modules and feature repositories may come from.")
        String[] allowed_schemes() default {"mvn", "file", "https"};

        @AttributeDefinition(description = "Directories file: locations must be in (${karaf.home} and ${karaf.data}"
                + " are expanded).")
        String[] allowed_file_dirs() default {"${karaf.home}/modules"};

        @AttributeDefinition(description = "Maven group ids (a trailing '.' allows sub-groups) mvn: locations may"
                + " name; empty allows any.")
        String[] allowed_maven_groups() default {};

        @AttributeDefinition(description = "Seconds a changed module has to reach running before the deployment is"
                + " rolled back.")
        int probation_seconds() default 20;

        @AttributeDefinition(description = "Wait before the first restart (ms); it doubles per restart.")
        long restart_backoff_ms() default 10_000;

        @AttributeDefinition(description = "Longest wait before a restart (ms).")
        long restart_backoff_max_ms() default 300_000;

        @AttributeDefinition(description = "Restarts after which a module is given up (failed).")
        int restart_max() default 20;

        @AttributeDefinition(description = "Minutes of running after which the restart count is reset.")
        int restart_reset_minutes() default 10;

        @AttributeDefinition(description = "Minutes after which a module given up (failed after restart.max restarts)"
                + " gets a new series of restarts; 0 never. A gateway start always gives it one.")
        int restart_failed_retry_minutes() default 60;

        @AttributeDefinition(description = "A deployment manifest in ${karaf.etc}, applied when it changes (local,"
                + " offline deployments); empty for none.")
        String deployment_file() default "deployment.json";

        @AttributeDefinition(description = "Seconds between two health checks of a module that has a HealthCheck"
                + " service or a health command (settings.healthCheck, which may set its own intervalSeconds).")
        int health_interval_seconds() default 5;

        @AttributeDefinition(description = "Container engines to run image-based container modules with, the first"
                + " found on the PATH (a name), or a path to one.")
        String[] container_engines() default {"podman", "docker"};

        @AttributeDefinition(description = "Kilobytes of output kept per container module: output.log is rotated to"
                + " output.log.1 at this size, so both together hold at most twice as much.")
        int container_log_max_kb() default 10_240;
    }

    static final String PID = "org.outpost.deployment";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final Routing routing;
    private final DeployedModules deployed;
    private final EdgeRuntime runtime;
    private final ManifestParser parser;
    private final Duration probation;
    private final Path stateFile;
    private final Map<String, Instant> lastStart = new ConcurrentHashMap<>();
    private volatile FeaturesService features;
    private volatile DeploymentManifest current;
    /** Null until this gateway has had a deployment. */
    private volatile DeploymentStatus.Outcome lastOutcome;
    private volatile long lastDesiredVersion;
    private final Path versionFile;
    private final Config config;
    private final Map<String, RestartClock> clocks = new ConcurrentHashMap<>();
    private final WatchedFile deploymentFile;
    private final ContainerModules containers;
    private final HealthProbes health;
    private final Map<String, String> supervised = new ConcurrentHashMap<>();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-supervisor");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public DeploymentService(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference Routing routing, @Reference EdgeRuntime runtime, @Reference ModuleAccess access,
            @Reference DeployedModules deployed, Config config) {
        this.context = context;
        this.deployed = deployed;
        this.configurationAdmin = configurationAdmin;
        this.routing = routing;
        this.runtime = runtime;
        String home = Objects.requireNonNullElse(context.getProperty("karaf.home"), ".");
        String data = Objects.requireNonNullElse(context.getProperty("karaf.data"), "data");
        this.parser = new ManifestParser(new LocationPolicy(Set.copyOf(list(config.allowed_schemes())),
                list(config.allowed_file_dirs()).stream().map(d -> Path.of(d.replace("${karaf.home}", home)
                        .replace("${karaf.data}", data))).toList(), list(config.allowed_maven_groups())));
        this.probation = Duration.ofSeconds(Math.max(1, config.probation_seconds()));
        this.health = new HealthProbes(context, Duration.ofSeconds(Math.max(1, config.health_interval_seconds())));
        this.stateFile = Path.of(data, "outpost", "deployment", "current.json");
        this.versionFile = stateFile.resolveSibling("desired-version");
        this.lastDesiredVersion = readVersion(versionFile);
        this.containers = new ContainerModules(Path.of(data, "outpost", "containers"), access,
                list(config.container_engines()), Math.max(16, config.container_log_max_kb()) * 1024L);
        this.current = loadCurrent();
        this.lastOutcome = Files.exists(stateFile) ? new DeploymentStatus.Outcome(200, "") : null;
        this.config = config;
        deployed.serve(this);
        // Processes do not outlive the gateway: the deployment's container modules start again with it.
        supervisor.execute(this::startContainers);
        supervisor.scheduleWithFixedDelay(this::supervise, 500, 500, TimeUnit.MILLISECONDS);
        String etc = Objects.requireNonNullElse(context.getProperty("karaf.etc"), "etc");
        this.deploymentFile = config.deployment_file().isBlank() ? null
                : new WatchedFile(Path.of(etc).resolve(config.deployment_file()), this::deploymentFileChanged);
        if (deploymentFile != null && Files.exists(deploymentFile.path())) {
            // Dropped in before this start: applied unless it is the deployment already running.
            supervisor.execute(() -> {
                try {
                    String content = Files.readString(deploymentFile.path());
                    String running = Files.exists(stateFile) ? Files.readString(stateFile) : null;
                    if (!content.equals(running)) {
                        deploymentFileChanged(content);
                    }
                } catch (IOException e) {
                    LOG.error("Cannot read {}: {}", deploymentFile.path(), e.getMessage());
                }
            });
        }
    }

    @Deactivate
    void deactivate() {
        deployed.serve(null);
        if (deploymentFile != null) {
            deploymentFile.close();
        }
        supervisor.shutdownNow();
        health.close();
        containers.stopAll();
    }

    private synchronized void startContainers() {
        for (ModuleSpec spec : current.modules().values()) {
            if (spec.type() == ModuleType.CONTAINER && !containers.has(spec.name())) {
                try {
                    install(spec);
                } catch (Exception e) {
                    LOG.error("Container module {} did not start: {}", spec.name(), e.getMessage());
                }
            }
        }
    }

    private void deploymentFileChanged(String content) {
        DeploymentResult r = deploy(content, false);
        if (r.code() == 200) {
            LOG.info("Applied {}: {}", deploymentFile.path(), r.steps());
        } else {
            LOG.error("{} not applied: {}", deploymentFile.path(), r.description());
        }
    }

    /** Keeps deployed modules running as their restart policies say. */
    private synchronized void supervise() {
        Instant now = Instant.now();
        for (ModuleSpec spec : current.modules().values()) {
            if (spec.status() != DesiredStatus.RUNNING) {
                supervised.remove(spec.name());
                continue;
            }
            RestartClock clock = clocks.computeIfAbsent(spec.name(), n -> new RestartClock(spec.restartPolicy(),
                    Duration.ofMillis(config.restart_backoff_ms()), Duration.ofMillis(config.restart_backoff_max_ms()),
                    config.restart_max(), Duration.ofMinutes(config.restart_reset_minutes()),
                    Duration.ofMinutes(config.restart_failed_retry_minutes())));
            if (deadReason(spec) != null) {
                // Restarting cannot help: it stays dead until it is deployed again or restarted by hand.
                if (!"dead".equals(supervised.put(spec.name(), "dead"))) {
                    LOG.error("Module {} is dead: {}", spec.name(), deadReason(spec));
                }
                continue;
            }
            ModuleInfo info = moduleInfo(spec);
            if (info == null || info.state() == ModuleState.UNKNOWN) {
                continue;
            }
            RestartClock.Down why;
            String sick = null;
            if (info.state() == ModuleState.RUNNING) {
                sick = health.check(spec, info, containers.get(spec.name()), now);
                if (sick == null) {
                    clock.running(now);
                    supervised.remove(spec.name());
                    continue;
                }
                why = RestartClock.Down.UNHEALTHY;
            } else {
                health.forget(spec.name());
                why = info.state() == ModuleState.FAILED ? RestartClock.Down.FAILED : RestartClock.Down.STOPPED;
            }
            switch (clock.down(why, now)) {
                case BACKOFF -> supervised.put(spec.name(), why == RestartClock.Down.UNHEALTHY ? "unhealthy"
                        : "backoff");
                case GIVE_UP -> supervised.put(spec.name(), clock.givenUp() ? "failed"
                        : why == RestartClock.Down.UNHEALTHY ? "unhealthy" : "failed");
                case RESTART -> {
                    clock.restarted(now);
                    LOG.warn("Restarting module {} ({} restart {} of {}, policy {}): it was {}", spec.name(),
                            why.name().toLowerCase(java.util.Locale.ROOT), clock.restarts(), config.restart_max(),
                            spec.restartPolicy().text(), why == RestartClock.Down.UNHEALTHY
                                    ? "unhealthy: " + sick
                                    : info.reason().isEmpty() ? info.state() : info.reason());
                    health.restarted(spec.name(), now);
                    try {
                        restart(spec);
                    } catch (Exception e) {
                        LOG.warn("Restarting module {} failed: {}", spec.name(), e.toString());
                    }
                }
                default -> {
                }
            }
        }
    }

    private void restart(ModuleSpec spec) throws Exception {
        if (spec.type() == ModuleType.CONTAINER) {
            setRunning(spec, false);
            setRunning(spec, true);
            return;
        }
        Bundle b;
        if (spec.type() == ModuleType.FEATURE) {
            // The feature's module bundle (the one that declares the module id) is what runs the module.
            ModuleInfo info = runtime.module(spec.name()).orElse(null);
            b = info == null ? null : context.getBundle(info.bundleId());
        } else {
            b = context.getBundle(spec.location());
        }
        if (b == null) {
            install(spec);
            return;
        }
        if (b.getState() == Bundle.ACTIVE) {
            b.stop();
        }
        b.start();
        lastStart.put(spec.name(), Instant.now());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindFeatures(FeaturesService service) {
        this.features = service;
    }

    void unbindFeatures(FeaturesService service) {
        if (features == service) {
            features = null;
        }
    }

    /** @return the last good deployment (kept across restarts), or an empty one */
    private DeploymentManifest loadCurrent() {
        if (Files.exists(stateFile)) {
            try {
                return parser.parse(Files.readString(stateFile));
            } catch (IOException | ManifestException e) {
                LOG.error("The last good deployment in {} cannot be read ({}); starting from none", stateFile,
                        e.getMessage());
            }
        }
        return new DeploymentManifest("1.1", List.of(), Map.of(), null, Map.of());
    }

    @Override
    public synchronized DeploymentResult deploy(String manifestJson, boolean dryRun) {
        long t0 = System.nanoTime();
        DeploymentResult r = deployTimed(manifestJson, dryRun);
        return new DeploymentResult(r.code(), r.description(), r.steps(), r.dryRun(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private DeploymentResult deployTimed(String manifestJson, boolean dryRun) {
        if (!dryRun) {
            noteDesiredVersion(manifestJson);
        }
        DeploymentManifest next;
        try {
            next = parser.parse(manifestJson);
            checkSupported(next);
        } catch (ManifestException e) {
            return refused(e.code(), e.getMessage(), dryRun);
        }
        if (next.edgeHub() != null) {
            try {
                routing.checkRoutes(next.edgeHub());
            } catch (IllegalArgumentException e) {
                return refused(400, "400 modulesContent.$edgeHub.properties.desired: " + e.getMessage(), dryRun);
            }
        }
        List<Planner.Step> plan = Planner.plan(current.modules(), next);
        List<DeploymentResult.PlannedStep> steps = plan.stream().map(s -> new DeploymentResult.PlannedStep(
                s.action().name().toLowerCase(java.util.Locale.ROOT), s.module(), s.reason() + refreshes(s)))
                .toList();
        Deque<Undo> undo = new ArrayDeque<>();
        try {
            String notResolvable = checkFeatures(next, undo);
            if (notResolvable != null) {
                rollBack(undo);
                return refused(400, notResolvable, dryRun);
            }
            if (dryRun) {
                rollBack(undo);
                return new DeploymentResult(200, "", steps, true, 0);
            }
            apply(next, plan, undo);
            persist(manifestJson);
            // Changed modules start their restart statistics afresh.
            plan.stream().filter(st -> st.action() != Planner.Action.KEEP).forEach(st -> {
                clocks.remove(st.module());
                supervised.remove(st.module());
            });
            current = next;
            lastOutcome = new DeploymentStatus.Outcome(200, "");
            LOG.info("Deployment applied: {}", steps);
            return new DeploymentResult(200, "", steps, false, 0);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("Deployment failed, rolling back to the last good deployment: {}", reason);
            rollBack(undo);
            String description = "500 " + reason + "; rolled back to the last good deployment";
            lastOutcome = new DeploymentStatus.Outcome(500, description);
            return new DeploymentResult(500, description, steps, false, 0);
        }
    }

    /**
     * @return for a step that replaces or removes a bundle module, which other bundles the framework refresh would
     *         restart with it (the bundles wired to it), so that operators see the reach of a change before it is made
     */
    private String refreshes(Planner.Step step) {
        if (step.action() != Planner.Action.UPDATE && step.action() != Planner.Action.REMOVE) {
            return "";
        }
        ModuleSpec spec = current.modules().get(step.module());
        Bundle b = spec == null || spec.type() != ModuleType.BUNDLE ? null : context.getBundle(spec.location());
        if (b == null) {
            return "";
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> others = wiring.getDependencyClosure(List.of(b)).stream().filter(o -> o.getBundleId()
                != b.getBundleId()).map(Bundle::getSymbolicName).sorted().toList();
        return others.isEmpty() ? "; refreshes no other bundle" : "; refreshes " + String.join(", ", others);
    }

    /**
     * Keeps the version of a deployment given to the gateway: its {@code $edgeAgent} desired {@code $version} (as the
     * cloud sets it), or one more than the last.
     */
    private void noteDesiredVersion(String manifestJson) {
        long version = lastDesiredVersion + 1;
        try {
            JsonNode v = JSON.readTree(manifestJson).at("/modulesContent/$edgeAgent/properties.desired/$version");
            if (v.canConvertToLong() && v.isIntegralNumber()) {
                version = v.longValue();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: the parser says why; the version still counts.
        }
        lastDesiredVersion = version;
        try {
            Files.createDirectories(versionFile.getParent());
            Files.writeString(versionFile, Long.toString(version));
        } catch (IOException e) {
            LOG.warn("Cannot keep the deployment version in {}: {}", versionFile, e.getMessage());
        }
    }

    private static long readVersion(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Ignoring {}: {}", file, e.getMessage());
            return 0;
        }
    }

    private DeploymentResult refused(int code, String description, boolean dryRun) {
        if (!dryRun) {
            lastOutcome = new DeploymentStatus.Outcome(code, description);
        }
        return new DeploymentResult(code, description, List.of(), dryRun, 0);
    }

    private void checkSupported(DeploymentManifest m) throws ManifestException {
        for (ModuleSpec spec : m.modules().values()) {
            containers.checkSupported(spec);
        }
    }

    /** @return the values of a list setting: a .cfg file gives them as one comma-separated value */
    static List<String> list(String[] values) {
        return Arrays.stream(values).flatMap(e -> Arrays.stream(e.split(","))).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
    }

    /** Adds the deployment's feature repositories and checks that its features resolve, without installing them. */
    private String checkFeatures(DeploymentManifest m, Deque<Undo> undo) throws Exception {
        List<ModuleSpec> featureModules = m.modules().values().stream().filter(s -> s.type() == ModuleType.FEATURE)
                .toList();
        if (featureModules.isEmpty()) {
            return null;
        }
        FeaturesService f = features;
        if (f == null) {
            return "400 modulesContent.$edgeAgent.properties.desired.modules." + featureModules.get(0).name()
                    + ": feature modules need Karaf's feature service, which is not running";
        }
        for (String repository : m.featureRepositories()) {
            URI uri = URI.create(repository);
            if (f.getRepository(uri) == null) {
                f.addRepository(uri, false);
                undo.push(new Undo("remove feature repository " + repository, () -> f.removeRepository(uri)));
            }
        }
        Set<String> wanted = new java.util.LinkedHashSet<>();
        featureModules.forEach(s -> wanted.add(featureId(s)));
        try {
            f.installFeatures(wanted, EnumSet.of(FeaturesService.Option.Simulate,
                    FeaturesService.Option.NoAutoRefreshBundles));
            return null;
        } catch (Exception e) {
            return "400 modulesContent.$edgeAgent.properties.desired.modules: features " + wanted
                    + " do not resolve: " + e.getMessage();
        }
    }

    private static String featureId(ModuleSpec s) {
        return s.featureVersion() == null ? s.feature() : s.feature() + "/" + s.featureVersion();
    }

    private void apply(DeploymentManifest next, List<Planner.Step> plan, Deque<Undo> undo) throws Exception {
        List<String> onProbation = new ArrayList<>();
        for (Planner.Step step : plan) {
            ModuleSpec before = current.modules().get(step.module());
            ModuleSpec after = next.modules().get(step.module());
            switch (step.action()) {
                case REMOVE -> {
                    remove(before);
                    undo.push(new Undo("reinstall " + before.name(), () -> install(before)));
                }
                case INSTALL -> {
                    undo.push(new Undo("remove " + after.name(), () -> remove(after)));
                    install(after);
                    onProbation.add(after.name());
                }
                case UPDATE -> {
                    remove(before);
                    undo.push(new Undo("reinstall " + before.name(), () -> install(before)));
                    undo.push(new Undo("remove " + after.name(), () -> remove(after)));
                    install(after);
                    onProbation.add(after.name());
                }
                case START, STOP -> {
                    setRunning(after, after.status() == DesiredStatus.RUNNING);
                    undo.push(new Undo("restore the status of " + after.name(),
                            () -> setRunning(before, before.status() == DesiredStatus.RUNNING)));
                    onProbation.add(after.name());
                }
                case KEEP -> {
                }
                default -> throw new IllegalStateException(step.action().toString());
            }
            if (after != null) {
                configure(before, after, next.moduleTwins().get(after.name()), undo);
            }
        }
        if (next.edgeHub() != null && !Objects.equals(next.edgeHub(), current.edgeHub())) {
            String previous = current.edgeHub();
            routing.setRoutes(next.edgeHub());
            undo.push(new Undo("restore the routes", () -> {
                if (previous != null) {
                    routing.setRoutes(previous);
                }
            }));
        }
        awaitProbation(next, onProbation);
    }

    /**
     * @return true for a bundle module whose bundle started and is back in INSTALLED: the framework is refreshing it
     *         (at gateway start, Karaf's features service refreshes bundles while the deployment is applied), so it
     *         is waited for until the probation deadline rather than taken as failed
     */
    private boolean refreshing(ModuleSpec spec) {
        if (spec.type() != ModuleType.BUNDLE) {
            return false;
        }
        Bundle b = context.getBundle(spec.location());
        return b != null && b.getState() == Bundle.INSTALLED;
    }

    /** Waits until every changed module that should run runs; throws naming the first that does not. */
    private void awaitProbation(DeploymentManifest next, List<String> modules) throws Exception {
        Instant deadline = Instant.now().plus(probation);
        for (String name : modules) {
            ModuleSpec spec = next.modules().get(name);
            ModuleState wanted = spec.status() == DesiredStatus.RUNNING ? ModuleState.RUNNING : ModuleState.STOPPED;
            while (true) {
                ModuleInfo info = moduleInfo(spec);
                if (info != null && info.state() == wanted) {
                    break;
                }
                if (info != null && info.state() == ModuleState.FAILED && !refreshing(spec)) {
                    throw new IllegalStateException("module " + name + " failed: " + info.reason());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("module " + name + " did not reach " + wanted.name()
                            .toLowerCase(java.util.Locale.ROOT) + " within " + probation.toSeconds() + " s"
                            + (info == null ? " (the gateway does not see it as a module)" : " (it is "
                                    + info.state().name().toLowerCase(java.util.Locale.ROOT) + (info.reason().isEmpty()
                                            ? "" : ": " + info.reason()) + ")"));
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * @return why a module cannot run at all, so that restarting it is no use (its program cannot be started, its
     *         bundle was uninstalled outside the deployment), or null
     */
    private String deadReason(ModuleSpec spec) {
        if (spec.type() == ModuleType.CONTAINER) {
            ProcessModule p = containers.get(spec.name());
            return p == null ? null : p.startError();
        }
        if (spec.type() == ModuleType.BUNDLE && context.getBundle(spec.location()) == null) {
            return "its bundle " + spec.location() + " is not installed (uninstalled outside the deployment?)";
        }
        return null;
    }

    private ModuleInfo moduleInfo(ModuleSpec spec) {
        if (spec.type() == ModuleType.CONTAINER) {
            return containers.info(spec);
        }
        return runtime.module(spec.name()).orElse(null);
    }

    @Override
    public List<ModuleInfo> ownModules() {
        return containers.infos(current.modules().values());
    }

    private void install(ModuleSpec spec) throws Exception {
        if (spec.type() == ModuleType.BUNDLE) {
            Bundle b = context.getBundle(spec.location());
            if (b == null) {
                b = context.installBundle(spec.location());
            }
            String declared = b.getHeaders("").get(EdgeModule.HEADER);
            if (!spec.name().equals(declared)) {
                Bundle installed = b;
                installed.uninstall();
                throw new IllegalStateException("bundle " + spec.location() + " declares module id '" + declared
                        + "' (" + EdgeModule.HEADER + "), but the deployment names it '" + spec.name() + "'");
            }
            if (spec.status() == DesiredStatus.RUNNING) {
                b.start();
                lastStart.put(spec.name(), Instant.now());
            }
        } else if (spec.type() == ModuleType.FEATURE) {
            FeaturesService f = Objects.requireNonNull(features, "Karaf's feature service is not running");
            f.installFeature(featureId(spec), EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            lastStart.put(spec.name(), Instant.now());
        } else {
            containers.install(spec, spec.status() == DesiredStatus.RUNNING);
            if (spec.status() == DesiredStatus.RUNNING) {
                lastStart.put(spec.name(), Instant.now());
            }
        }
    }

    private void remove(ModuleSpec spec) throws Exception {
        if (spec.type() == ModuleType.BUNDLE) {
            Bundle b = context.getBundle(spec.location());
            if (b != null) {
                b.uninstall();
            }
        } else if (spec.type() == ModuleType.FEATURE) {
            FeaturesService f = Objects.requireNonNull(features, "Karaf's feature service is not running");
            if (f.isInstalled(f.getFeature(spec.feature(), spec.featureVersion()))) {
                f.uninstallFeature(spec.feature(), spec.featureVersion() == null ? null : spec.featureVersion(),
                        EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            }
        } else {
            containers.remove(spec.name());
        }
    }

    private void setRunning(ModuleSpec spec, boolean running) throws Exception {
        if (spec.type() == ModuleType.CONTAINER) {
            ProcessModule p = containers.get(spec.name());
            if (p == null) {
                p = containers.install(spec, false);
            }
            if (running) {
                p.start();
                lastStart.put(spec.name(), Instant.now());
            } else {
                p.stop();
            }
            return;
        }
        if (spec.type() != ModuleType.BUNDLE) {
            throw new IllegalStateException("module " + spec.name() + ": only bundle modules can be stopped and"
                    + " started yet");
        }
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            throw new IllegalStateException("module " + spec.name() + ": bundle " + spec.location()
                    + " is not installed");
        }
        if (running) {
            b.start();
            lastStart.put(spec.name(), Instant.now());
        } else {
            b.stop();
        }
    }

    /**
     * Gives a module its env and desired properties as the configuration {@code spec.configPid()}. A manifest without
     * the module's twin section (as one from the cloud, where module twins are kept apart) leaves the desired
     * properties the configuration holds and replaces only the env.
     */
    private void configure(ModuleSpec before, ModuleSpec spec, String twinJson, Deque<Undo> undo) throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>();
        Configuration existing = configurationAdmin.getConfiguration(spec.configPid(), "?");
        if (twinJson == null && existing.getProperties() != null) {
            for (java.util.Enumeration<String> keys = existing.getProperties().keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                boolean oldEnv = before != null && before.configPid().equals(spec.configPid())
                        && before.env().containsKey(k);
                if (!k.startsWith("service.") && !k.startsWith("felix.") && !oldEnv) {
                    properties.put(k, existing.getProperties().get(k));
                }
            }
        }
        spec.env().forEach(properties::put);
        if (twinJson != null) {
            JsonNode twin = JSON.readTree(twinJson);
            for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                properties.put(e.getKey(), v.isTextual() ? v.textValue() : v.isContainerNode() ? v.toString()
                        : v.isIntegralNumber() ? (Object) v.longValue() : v.isNumber() ? (Object) v.doubleValue()
                                : v.isBoolean() ? (Object) v.booleanValue() : v.asText());
            }
        }
        if (properties.isEmpty()) {
            return;
        }
        Configuration c = existing;
        Dictionary<String, Object> previous = c.getProperties();
        if (previous != null && same(previous, properties)) {
            return;
        }
        c.update(properties);
        undo.push(new Undo("restore configuration " + spec.configPid(), () -> {
            if (previous == null) {
                c.delete();
            } else {
                c.update(previous);
            }
        }));
    }

    private static boolean same(Dictionary<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (java.util.Enumeration<String> keys = a.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.startsWith("service.") && !k.startsWith("felix.")) {
                m.put(k, a.get(k));
            }
        }
        return m.equals(b);
    }

    private void persist(String manifestJson) throws IOException {
        Files.createDirectories(stateFile.getParent());
        Path tmp = stateFile.resolveSibling("current.json.tmp");
        Files.writeString(tmp, manifestJson, StandardCharsets.UTF_8);
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void rollBack(Deque<Undo> undo) {
        while (!undo.isEmpty()) {
            Undo u = undo.pop();
            try {
                u.action().run();
            } catch (Exception e) {
                LOG.error("Rollback step '{}' failed: {}", u.what(), e.toString());
            }
        }
    }

    @Override
    public List<String> logs(String module, LogQuery query) throws IOException {
        ModuleSpec spec = current.modules().get(module);
        if (spec != null && spec.type() == ModuleType.CONTAINER) {
            ProcessModule p = containers.get(module);
            return p == null ? List.of() : ModuleLogs.container(p.log(), query);
        }
        ModuleInfo info = runtime.module(module).orElseThrow(() -> new IllegalArgumentException("no module '"
                + module + "' (see edge:list)"));
        Bundle b = context.getBundle(info.bundleId());
        Path log = Path.of(Objects.requireNonNullElse(context.getProperty("karaf.log"), "data/log"), "karaf.log");
        // Karaf's log lines name the bundle as "| <id> - <symbolic name> - <version> |".
        String marker = "| " + info.bundleId() + " - " + (b == null ? "" : b.getSymbolicName()) + " - ";
        return ModuleLogs.gateway(log, l -> l.contains(marker), query, java.time.ZoneId.systemDefault());
    }

    @Override
    public void restart(String module) throws Exception {
        ModuleSpec deployed = current.modules().get(module);
        if (deployed != null && deployed.type() == ModuleType.CONTAINER) {
            LOG.info("Restarting module {} on request", module);
            restart(deployed);
            return;
        }
        if (deployed != null && deployed.type() == ModuleType.BUNDLE && context.getBundle(deployed.location()) == null) {
            LOG.info("Installing module {} again on request: its bundle was uninstalled", module);
            install(deployed);
            return;
        }
        ModuleInfo info = runtime.module(module).orElseThrow(() -> new IllegalArgumentException("no module '"
                + module + "' (see edge:list)"));
        Bundle b = context.getBundle(info.bundleId());
        if (b == null) {
            throw new IllegalArgumentException("module '" + module + "' has no bundle installed");
        }
        LOG.info("Restarting module {} on request", module);
        if (b.getState() == Bundle.ACTIVE) {
            b.stop();
        }
        b.start();
        lastStart.put(module, Instant.now());
    }

    @Override
    public boolean manages(String module) {
        return current.modules().containsKey(module);
    }

    @Override
    public Optional<String> configurationPid(String module) {
        DeploymentManifest m = current;
        ModuleSpec spec = m == null ? null : m.modules().get(module);
        return spec == null ? Optional.empty() : Optional.of(spec.configPid());
    }

    @Override
    public DeploymentStatus status() {
        Map<String, DeploymentStatus.ModuleStatus> modules = new LinkedHashMap<>();
        for (ModuleSpec spec : current.modules().values()) {
            ModuleInfo info = moduleInfo(spec);
            RestartClock clock = clocks.get(spec.name());
            String runtimeStatus = supervised.getOrDefault(spec.name(),
                    info == null ? "unknown" : info.state().name().toLowerCase(java.util.Locale.ROOT));
            String description = info == null ? "" : info.reason();
            String sick = health.unhealthy(spec.name());
            if (sick != null) {
                description = "unhealthy: " + sick;
            }
            String dead = deadReason(spec);
            if (dead != null) {
                runtimeStatus = "dead";
                description = dead + "; deploy it again or run edge:restart " + spec.name() + " when it can run";
            }
            if (runtimeStatus.equals("failed") && clock != null && clock.givenUp()) {
                description = "given up after " + clock.restarts() + " restarts" + (description.isEmpty() ? ""
                        : "; " + description);
            }
            ProcessModule p = containers.get(spec.name());
            modules.put(spec.name(), new DeploymentStatus.ModuleStatus(spec.declaredType(), spec.version(),
                    spec.status().name().toLowerCase(java.util.Locale.ROOT), runtimeStatus, description,
                    lastStart.get(spec.name()), clock == null ? 0 : clock.restarts(),
                    clock == null ? null : clock.lastRestart(), p == null ? null : p.exitCode(),
                    p == null ? null : p.lastExit()));
        }
        return new DeploymentStatus(lastDesiredVersion, lastOutcome, modules);
    }

    /** One undo step: what it does, for the log, and the action. */
    private record Undo(String what, Action action) {
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
