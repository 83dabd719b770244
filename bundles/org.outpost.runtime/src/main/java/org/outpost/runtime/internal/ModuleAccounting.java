/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.util.tracker.BundleTracker;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.api.runtime.ModuleResources;
import org.outpost.api.runtime.ModuleUsage;
import org.outpost.commons.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-module resource accounting ({@link ModuleResources}): bundle modules' CPU time and allocations ({@link Accounts}:
 * calls measured exactly; {@link ThreadAccounting}: threads they own, sampled), and the processes of process and
 * container modules ({@link ModuleOwner#processes()}, read from the operating system). A timer samples every
 * {@code accounting.interval.seconds}; everything read from here (metrics, {@code edge:list}) is the last sample.
 * {@code accounting.enabled=false} stops the measured calls and the thread sampling (processes are still sampled).
 */
@Component(service = {ModuleAccounting.class, ModuleResources.class}, configurationPid = RuntimeSettings.PID)
public final class ModuleAccounting implements ModuleResources {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleAccounting.class);

    private final Accounts accounts = new Accounts(Accounts.ThreadClock.jvm());
    private final ThreadAccounting threads = new ThreadAccounting(ThreadAccounting.ThreadTimes.jvm());
    private final ModulePackages packages = new ModulePackages();
    private final OsUsage os = new OsUsage(Path.of("/proc"));
    private final List<ModuleOwner> processOwners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final BundleTracker<Long> bundles;
    private final List<AutoCloseable> registered;
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private final boolean sampleOnTimer;
    private ScheduledFuture<?> sampling;
    private long intervalSeconds;

    /** The last sample. */
    private volatile Sample last = new Sample(List.of(), null, 0, 0);
    /** Per source and module: CPU nanoseconds and the time of the sample before, for the CPU share. */
    private final Map<String, long[]> previous = new HashMap<>();
    /** Highest CPU seconds reported per module: a counter never goes back (a process tree lost a child). */
    private final Map<String, Double> highest = new HashMap<>();

    /** A sample: every module's usage, the host, and this JVM's own CPU share and resident memory. */
    record Sample(List<ModuleUsage> modules, OsUsage.Host host, double gatewayCpuPercent, long gatewayMemory) {
    }

    @Activate
    public ModuleAccounting(BundleContext context, @Reference Metrics metrics, Ingress.Config config) {
        this(context, metrics, config, true);
    }

    /** @param context null for no bundle tracking (tests add module packages by {@link #packages()}) */
    ModuleAccounting(BundleContext context, Metrics metrics, Ingress.Config config, boolean timer) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("outpost-accounting"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.sampleOnTimer = timer;
        this.bundles = context == null ? null : new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                String module = bundle.getHeaders("").get(EdgeModule.HEADER);
                if (module == null) {
                    return null;
                }
                BundleWiring wiring = bundle.adapt(BundleWiring.class);
                packages.add(module, bundle.getBundleId(), wiring == null ? List.of() : ModulePackages.packagesOf(
                        wiring.listResources("/", "*.class", BundleWiring.LISTRESOURCES_LOCAL
                                | BundleWiring.LISTRESOURCES_RECURSE)));
                return bundle.getBundleId();
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                packages.remove(id);
            }
        };
        if (bundles != null) {
            bundles.open();
        }
        configure(config);
        this.registered = ResourceMetrics.register(metrics, () -> last);
    }

    @Modified
    void modified(Ingress.Config config) {
        configure(config);
    }

    private synchronized void configure(Ingress.Config config) {
        accounts.enabled(config.accounting_enabled());
        long interval = Math.max(1, config.accounting_interval_seconds());
        if (sampleOnTimer && (sampling == null || interval != intervalSeconds)) {
            if (sampling != null) {
                sampling.cancel(false);
            }
            intervalSeconds = interval;
            sampling = timer.scheduleWithFixedDelay(this::sampleSafely, 0, interval, TimeUnit.SECONDS);
        }
        LOG.info("Module accounting {}, sampled every {} s", accounts.enabled() ? "on" : "off (processes only)",
                interval);
    }

    @Deactivate
    void deactivate() {
        for (AutoCloseable c : registered) {
            try {
                c.close();
            } catch (Exception e) {
                // The registry went first.
            }
        }
        timer.shutdownNow();
        if (bundles != null) {
            bundles.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindOwner(ModuleOwner owner) {
        processOwners.add(owner);
    }

    void unbindOwner(ModuleOwner owner) {
        processOwners.remove(owner);
    }

    /** @return the module's account, for a caller that measures it often (look it up once) */
    Accounts.Account account(String module) {
        return accounts.account(module);
    }

    /** Measures the current thread's work for an account until closed. */
    Measurement measure(Accounts.Account account) {
        return accounts.measure(account);
    }

    @Override
    public Measurement measure(String module) {
        return accounts.enabled() ? accounts.measure(accounts.account(module)) : Accounts.NOTHING;
    }

    /** A module got {@code thread} from its thread factory; the thread calls {@link #ownCurrentThread()} first. */
    void own(String module, Thread thread) {
        threads.own(module, thread);
    }

    void ownCurrentThread() {
        accounts.ownCurrentThread();
    }

    @Override
    public List<ModuleUsage> usage() {
        return last.modules();
    }

    @Override
    public Optional<ModuleUsage> usage(String module) {
        return last.modules().stream().filter(u -> u.module().equals(module)).findFirst();
    }

    /** @return who owns which package, as the bundle tracker learns it */
    ModulePackages packages() {
        return packages;
    }

    /** @return the last sample */
    Sample sample() {
        return last;
    }

    private void sampleSafely() {
        try {
            sampleNow();
        } catch (RuntimeException e) {
            LOG.warn("Module accounting could not sample ({}); it tries again in {} s", e.toString(),
                    intervalSeconds);
        }
    }

    /** Takes a sample now (the timer's job; tests call it to not wait). */
    synchronized Sample sampleNow() {
        long now = System.nanoTime();
        List<ModuleUsage> out = new ArrayList<>();
        if (accounts.enabled()) {
            threads.sample(packages).forEach((module, owned) -> {
                Accounts.Account a = accounts.account(module);
                a.ownedCpuNanos = Math.max(a.ownedCpuNanos, owned.cpuNanos());
                a.ownedBytes = Math.max(a.ownedBytes, owned.allocatedBytes());
                a.threads = owned.threads();
            });
            for (Accounts.Account a : accounts.all().values()) {
                long cpu = a.cpuNanos();
                out.add(new ModuleUsage(a.module, ModuleUsage.JVM, cpu / 1e9, percent(ModuleUsage.JVM + ":"
                        + a.module, cpu, now), a.allocatedBytes(), -1, a.threads));
            }
        }
        for (ModuleOwner owner : processOwners) {
            Map<String, Long> pids;
            try {
                pids = owner.processes();
            } catch (RuntimeException e) {
                LOG.debug("Module owner {} could not list its processes: {}", owner, e.toString());
                continue;
            }
            pids.forEach((module, pid) -> os.tree(pid).ifPresent(tree -> {
                double cpu = Math.max(highest.getOrDefault(module, 0.0), tree.cpuSeconds());
                highest.put(module, cpu);
                out.add(new ModuleUsage(module, ModuleUsage.OS, cpu, percent(ModuleUsage.OS + ":" + module,
                        (long) (cpu * 1e9), now), -1,
                        tree.residentBytes(), tree.processes()));
            }));
        }
        // A process or container module is what its processes use: the runtime's work for it (the MQTT bridge
        // forwarding its messages) is edgeHub's, not a second line of the module's.
        java.util.Set<String> processModules = out.stream().filter(u -> u.source().equals(ModuleUsage.OS))
                .map(ModuleUsage::module).collect(java.util.stream.Collectors.toSet());
        out.removeIf(u -> u.source().equals(ModuleUsage.JVM) && processModules.contains(u.module()));
        out.sort(Comparator.comparing(ModuleUsage::module));
        var jvm = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double self = jvm instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuLoad() * 100 : -1;
        Sample s = new Sample(List.copyOf(out), os.host(), self, os.selfResidentBytes());
        last = s;
        return s;
    }

    /** @return the share of all cores the line used since the sample before (0 at its first sample) */
    private double percent(String line, long cpuNanos, long now) {
        long[] before = previous.put(line, new long[] {cpuNanos, now});
        if (before == null || now <= before[1]) {
            return 0;
        }
        return Math.max(0, cpuNanos - before[0]) * 100.0 / ((now - before[1]) * (double) cpus);
    }
}
