/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.outpost.api.health.Checks;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.LogQuery;
import org.outpost.routing.api.Routing;
import org.outpost.support.api.SupportBundles;

/**
 * The support bundle: see {@link SupportBundles} for what it holds. The routing, upstream, checks and metrics are
 * optional: a gateway whose upstream does not start still gets a bundle, which says so.
 */
@Component(service = SupportBundles.class, configurationPid = SupportConfig.PID)
@Designate(ocd = SupportConfig.class)
public final class SupportBundleService implements SupportBundles {

    private final Deployer deployer;
    private final EdgeRuntime runtime;
    private final ConfigurationAdmin configurations;
    private final Path logFolder;
    private final Path deploymentFolder;
    private volatile SupportConfig.Settings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Routing routing;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Upstream upstream;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Checks checks;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Metrics metrics;

    @Activate
    public SupportBundleService(@Reference Deployer deployer, @Reference EdgeRuntime runtime,
            @Reference ConfigurationAdmin configurations, BundleContext context, SupportConfig config) {
        this(deployer, runtime, configurations, logFolder(context), Path.of(Objects.requireNonNullElse(
                context.getProperty("karaf.data"), "data"), "outpost", "deployment"),
                SupportConfig.Settings.of(config));
    }

    SupportBundleService(Deployer deployer, EdgeRuntime runtime, ConfigurationAdmin configurations, Path logFolder,
            Path deploymentFolder, SupportConfig.Settings settings) {
        this.deployer = deployer;
        this.runtime = runtime;
        this.configurations = configurations;
        this.logFolder = logFolder;
        this.deploymentFolder = deploymentFolder;
        this.settings = settings;
    }

    private static Path logFolder(BundleContext context) {
        String log = context.getProperty("karaf.log");
        return log != null ? Path.of(log)
                : Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "log");
    }

    @Modified
    void modified(SupportConfig config) {
        settings = SupportConfig.Settings.of(config);
    }

    @Override
    public List<String> write(Request request, OutputStream out) throws IOException {
        SupportConfig.Settings s = settings;
        Redactor redactor = s.redactor();
        Instant now = Instant.now();
        try (ZipParts zip = new ZipParts(out, redactor)) {
            zip.text("README.txt", w -> w.write(readme(request, now)));
            zip.json("system.json", this::system);
            zip.json("status/deployment.json", deployer::status);
            zip.json("status/modules.json", runtime::modules);
            zip.json("status/routes.json", () -> {
                Routing r = present(routing, "the routing service (org.outpost.routing)");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("routes", r.routes());
                m.put("endpoints", r.endpoints());
                m.put("noRoute", r.noRoute());
                m.put("lastRejection", r.lastRejection().orElse(null));
                return m;
            });
            zip.json("status/upstream.json", () -> present(upstream, "the upstream (org.outpost.upstream)")
                    .status());
            zip.json("checks.json", () -> present(checks, "the checks service (org.outpost.health)").run(Set.of()));
            zip.json("metrics.json", () -> present(metrics, "the metrics service").samples());
            zip.text("threads.txt", w -> w.write(ThreadDump.now()));
            zip.json("config/configurations.json", () -> configurations(redactor));
            zip.json("deployment/result.json", () -> {
                org.outpost.deployment.api.DeploymentStatus st = deployer.status();
                return Map.of("lastDesiredVersion", st.lastDesiredVersion(), "lastDesiredStatus",
                        st.lastDesiredStatus());
            });
            zip.json("deployment/current.json", () -> {
                Path current = deploymentFolder.resolve("current.json");
                if (!Files.exists(current)) {
                    throw new IllegalStateException("this gateway has had no good deployment yet (" + current + ")");
                }
                return ZipParts.JSON.readTree(current.toFile());
            });
            zip.text("logs/gateway.log", w -> new GatewayLog(logFolder, ZoneId.systemDefault(), redactor)
                    .write(request.since(), request.until(), s.logMaxBytes(), w));
            if (!request.edgeRuntimeOnly()) {
                LogQuery query = new LogQuery(s.moduleLogLines(), request.since(), request.until(), null, null);
                for (String module : modules()) {
                    zip.text("logs/modules/" + module + ".log", w -> {
                        for (String entry : deployer.logs(module, query)) {
                            w.write(redactor.lines(entry));
                            w.write('\n');
                        }
                    });
                }
            }
            return zip.names();
        }
    }

    /** @return every module the deployment or the runtime knows */
    Set<String> modules() {
        Set<String> modules = new TreeSet<>(deployer.status().modules().keySet());
        runtime.modules().forEach(m -> modules.add(m.name()));
        return modules;
    }

    private static <T> T present(T service, String what) {
        if (service == null) {
            throw new IllegalStateException(what + " is not running on this gateway");
        }
        return service;
    }

    private List<Map<String, Object>> configurations(Redactor redactor) throws Exception {
        org.osgi.service.cm.Configuration[] all = configurations.listConfigurations(null);
        if (all == null) {
            return List.of();
        }
        return java.util.Arrays.stream(all).sorted(java.util.Comparator.comparing(
                org.osgi.service.cm.Configuration::getPid)).map(c -> {
                    Map<String, Object> props = new LinkedHashMap<>();
                    if (c.getProperties() != null) {
                        for (String k : Collections.list(c.getProperties().keys())) {
                            props.put(k, c.getProperties().get(k));
                        }
                    }
                    String pid = c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid();
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("pid", c.getPid());
                    if (c.getFactoryPid() != null) {
                        out.put("factoryPid", c.getFactoryPid());
                    }
                    out.put("redacted", redactor.secretPid(c.getPid()) || redactor.secretPid(pid));
                    out.put("properties", redactor.configuration(redactor.secretPid(c.getPid()) ? c.getPid() : pid,
                            props));
                    return out;
                }).toList();
    }

    private Map<String, Object> system() {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", Instant.now().toString());
        m.put("timeZone", ZoneId.systemDefault().getId());
        m.put("deviceId", runtime.deviceId());
        m.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("processors", rt.availableProcessors());
        m.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        m.put("heapMaxBytes", rt.maxMemory());
        m.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        java.io.File data = deploymentFolder.toFile();
        while (data != null && !data.exists()) {
            data = data.getParentFile();
        }
        if (data != null) {
            m.put("dataDiskFreeBytes", data.getUsableSpace());
            m.put("dataDiskTotalBytes", data.getTotalSpace());
        }
        return m;
    }

    private String readme(Request request, Instant now) {
        return "Outpost gateway support bundle\n"
                + "device: " + runtime.deviceId() + "\n"
                + "made: " + now + "\n"
                + "logs since: " + (request.since() == null ? "all kept" : request.since()) + ", until: "
                + (request.until() == null ? "now" : request.until()) + "\n"
                + "modules' logs: " + (request.edgeRuntimeOnly() ? "no (edgeRuntimeOnly)" : "yes") + "\n\n"
                + "Secrets are left out: configuration values whose keys name a secret (password, key, token, ...),\n"
                + "every value of the secret PIDs (secret.pids in etc/org.outpost.support.cfg), and text that looks\n"
                + "like a SAS token, a key, a password in a URL or a private key are shown as " + Redactor.REDACTED
                + ".\nThe secrets folder (etc/outpost-secrets) is never read. A part that could not be collected is"
                + " <part>.error.txt.\n";
    }
}
