/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.camel.modules.api.RouteBundle;
import org.outpost.camel.modules.deploy.Placeholders;
import org.outpost.camel.modules.deploy.RouteJar;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel route modules of a deployment ({@code "type": "camel"}): the route files named by {@code settings.routes} or
 * carried in {@code settings.inline} become the module's bundle ({@link RouteJar}, as for a route file in
 * {@code deploy/}), installed at {@value #LOCATION_PREFIX}{@code <module>}. Before anything changes
 * ({@link #prepare}), the route files are read and the module's desired properties are checked against their
 * placeholders ({@link DesiredCheck}): a deployment that gives a property of the wrong type, or none for a placeholder
 * without a default, is refused (400) with the JSON path. The runtime tells the module's state; a route file that
 * Camel cannot read makes the module failed with the file, line and column.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=camel")
public final class CamelKind implements ModuleKind {

    /** The location of a deployment's route module bundle is this and the module id. */
    public static final String LOCATION_PREFIX = "outpost-camel-module:";

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger("org.outpost.deployment.internal.DeploymentService");

    private static final String AGENT = "modulesContent.$edgeAgent.properties.desired.modules.";

    /**
     * A module's bundle made while the deployment was prepared, installed if the spec is the same, and the
     * configuration the deployment gives it (null: the manifest has no section for the module).
     */
    private record Prepared(ModuleSpec spec, byte[] bundle, Map<String, Object> configuration) {
    }

    private final BundleContext context;
    private final EdgeRuntime runtime;
    private final RouteSources sources;
    private final FirstConfiguration first;
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();

    @Activate
    public CamelKind(BundleContext context, @Reference EdgeRuntime runtime,
            @Reference ConfigurationAdmin configurationAdmin) {
        this(context, runtime, new RouteSources(), configurationAdmin);
    }

    /** @param configurationAdmin null: the deployment service alone configures the modules, after starting them */
    CamelKind(BundleContext context, EdgeRuntime runtime, RouteSources sources,
            ConfigurationAdmin configurationAdmin) {
        this.context = context;
        this.runtime = runtime;
        this.sources = sources;
        this.first = new FirstConfiguration(configurationAdmin);
    }

    static String location(ModuleSpec spec) {
        return LOCATION_PREFIX + spec.name();
    }

    /**
     * Refuses a module whose id another bundle has that no deployment runs (a bundle module dropped into
     * {@code deploy/}, a route file there); a deployment's module of another type is replaced by the plan.
     */
    @Override
    public void check(ModuleSpec spec) throws ManifestException {
        Bundle other = Arrays.stream(context.getBundles()).filter(b -> !b.getLocation().equals(location(spec)))
                .filter(b -> spec.name().equals(b.getHeaders("").get(RouteBundle.MODULE_HEADER))
                        || (RouteBundle.SYMBOLIC_NAME_PREFIX + spec.name()).equals(b.getSymbolicName()))
                .findFirst().orElse(null);
        boolean deployed = other != null && runtime.module(spec.name()).filter(ModuleInfo::managed)
                .filter(m -> m.bundleId() == other.getBundleId()).isPresent();
        if (other != null && !deployed) {
            throw new ManifestException(400, AGENT + spec.name(), "module " + spec.name() + " is bundle "
                    + other.getBundleId() + " already (" + other.getLocation() + "), which no deployment installed as"
                    + " a camel module: a module id is unique on the gateway; remove that one first (a route file:"
                    + " delete it from deploy/)");
        }
    }

    /**
     * Reads each module's route files and checks its desired properties against their placeholders. The configuration
     * the deployment gives a module is given to it before its bundle starts ({@link FirstConfiguration}); what it had
     * before is restored if the deployment is undone.
     */
    @Override
    public String prepare(List<ModuleSpec> modules, DeploymentManifest deployment, Undo undo) {
        prepared.clear();
        for (ModuleSpec spec : modules) {
            List<RouteJar.RouteFile> files;
            try {
                files = sources.read(spec);
            } catch (RouteSources.SourceException e) {
                String at = AGENT + spec.name() + ".settings.routes" + (spec.camel().locations().size() == 1 ? ""
                        : "[" + e.index() + "]");
                return new ManifestException(400, at, e.getMessage()).getMessage();
            }
            String twin = deployment.moduleTwins().get(spec.name());
            Map<String, Object> configuration = null;
            if (twin != null) {
                try {
                    DesiredCheck.check(spec.name(), Placeholders.of(files.stream().map(RouteJar.RouteFile::content)
                            .toList()), twin);
                    configuration = FirstConfiguration.of(spec, twin);
                } catch (ManifestException e) {
                    return e.getMessage();
                } catch (java.io.IOException e) {
                    return "400 modulesContent." + spec.name() + ".properties.desired: not JSON: " + e.getMessage();
                }
            }
            first.forget(spec);
            if (undo != null) {
                undo.push("restore the configuration " + spec.configPid() + " of route module " + spec.name(),
                        () -> first.restore(spec));
            }
            prepared.put(spec.name(), new Prepared(spec, bundle(spec, files), configuration));
        }
        return null;
    }

    private static byte[] bundle(ModuleSpec spec, List<RouteJar.RouteFile> files) {
        String source = spec.camel().inline() != null ? "deployment (inline " + spec.camel().format() + ")"
                : String.join(",", spec.camel().locations());
        return RouteJar.build(spec.name(), spec.configPid(), version(spec), source, files);
    }

    /** @return the module's version as a bundle version: the manifest's, if it is an OSGi version */
    static String version(ModuleSpec spec) {
        try {
            return Version.parseVersion(spec.version()).toString();
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion.toString();
        }
    }

    /** @return the module's bundle and configuration: those prepared for this spec, else the bundle made now */
    private Prepared preparedFor(ModuleSpec spec) throws Exception {
        Prepared p = prepared.remove(spec.name());
        if (p != null && p.spec().equals(spec)) {
            return p;
        }
        try {
            return new Prepared(spec, bundle(spec, sources.read(spec)), null);
        } catch (RouteSources.SourceException e) {
            throw new IllegalStateException("module " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        Prepared p = preparedFor(spec);
        byte[] bundle = p.bundle();
        if (p.configuration() != null) {
            first.give(spec, p.configuration());
        }
        Bundle b = context.getBundle(location(spec));
        if (b == null) {
            b = context.installBundle(location(spec), new ByteArrayInputStream(bundle));
        } else {
            b.update(new ByteArrayInputStream(bundle));
        }
        if (spec.status() == DesiredStatus.RUNNING) {
            b.start();
            return true;
        }
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).resolveBundles(List.of(b));
        return false;
    }

    @Override
    public void remove(ModuleSpec spec) throws Exception {
        prepared.remove(spec.name());
        Bundle b = context.getBundle(location(spec));
        if (b != null) {
            b.uninstall();
        }
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) throws Exception {
        Bundle b = context.getBundle(location(spec));
        if (b == null) {
            throw new IllegalStateException("module " + spec.name() + ": its bundle " + location(spec)
                    + " is not installed");
        }
        if (running) {
            b.start();
        } else {
            b.stop();
        }
    }

    @Override
    public boolean restart(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(location(spec));
        if (b == null) {
            LOG.info("Installing module {} again: its bundle was uninstalled", spec.name());
            return install(spec);
        }
        if (b.getState() == Bundle.ACTIVE) {
            b.stop();
        }
        b.start();
        return true;
    }

    /** The gateway started: a route module whose bundle is gone (a clean start) is made and installed again. */
    @Override
    public boolean resume(ModuleSpec spec) {
        if (context.getBundle(location(spec)) != null) {
            return false;
        }
        try {
            LOG.info("Module {}: installing its route bundle again (it was not installed)", spec.name());
            return install(spec);
        } catch (Exception e) {
            LOG.error("Module {} could not be installed again: {}", spec.name(), e.getMessage());
            return false;
        }
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        return runtime.module(spec.name()).orElse(null);
    }

    @Override
    public boolean settling(ModuleSpec spec) {
        Bundle b = context.getBundle(location(spec));
        return b != null && b.getState() == Bundle.INSTALLED;
    }
}
