/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundle modules: an OSGi bundle from its location ({@code settings.location}), which declares the module id in its
 * {@value EdgeModule#HEADER} header. The runtime tells its state.
 * <p>
 * It touches only bundles it installed ({@link Installed}): a deployment naming a location where another bundle is
 * installed (a core bundle, by a typo), or a bundle with the symbolic name of one it did not install, is refused and
 * nothing is changed; a bundle it installed that turns out not to be the module is uninstalled at once. An
 * {@code https:} bundle is downloaded with the deployment's timeouts ({@link Downloads}) before it is installed.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=bundle",
        configurationPid = DeploymentService.PID)
public final class BundleKind implements ModuleKind {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final BundleContext context;
    private final EdgeRuntime runtime;
    private final Installed installed;
    private volatile Downloads downloads;

    @Activate
    public BundleKind(BundleContext context, @Reference EdgeRuntime runtime, DeploymentConfig config) {
        this(context, runtime, new Installed(data(context).resolve("installed-bundles")), Downloads.of(data(context)
                .resolve("downloads"), config));
    }

    BundleKind(BundleContext context, EdgeRuntime runtime, Installed installed, Downloads downloads) {
        this.context = context;
        this.runtime = runtime;
        this.installed = installed;
        this.downloads = downloads;
    }

    @Modified
    void modified(DeploymentConfig config) {
        this.downloads = Downloads.of(data(context).resolve("downloads"), config);
    }

    private static Path data(BundleContext context) {
        return Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "deployment");
    }

    /** Installs a bundle from its location: an http(s) one downloaded first, with timeouts. */
    private Bundle installFrom(String location) throws Exception {
        if (!Downloads.fetches(location)) {
            return context.installBundle(location);
        }
        Path file = downloads.fetch(location);
        try (var in = Files.newInputStream(file)) {
            return context.installBundle(location, in);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private boolean ours(Bundle b) {
        return installed.has(b.getLocation(), Long.toString(b.getBundleId()));
    }

    /**
     * @return whether a bundle no deployment installed is this module's own (its {@value EdgeModule#HEADER} names it):
     *         the deployment may take it over, as when it names a sample the distribution installed. A bundle that is
     *         not a module (the broker, Karaf) is never taken over.
     */
    private static boolean isTheModule(Bundle b, ModuleSpec spec) {
        return spec.name().equals(b.getHeaders("").get(EdgeModule.HEADER));
    }

    private static String notOurs(Bundle b) {
        return "bundle " + b.getBundleId() + " (" + b.getSymbolicName() + ") is installed at " + b.getLocation()
                + ", but not by a deployment, and a deployment touches only bundles it installed: name the module's"
                + " own bundle, or uninstall that one first if it is to be replaced";
    }

    /**
     * Refuses, before anything changes, a module whose location holds a bundle no deployment installed, and a
     * {@code file:} bundle that is not the module (no {@value EdgeModule#HEADER} header, or another module id) or
     * has the symbolic name of a bundle no deployment installed.
     */
    @Override
    public void check(ModuleSpec spec) throws ManifestException {
        String at = "modulesContent.$edgeAgent.properties.desired.modules." + spec.name() + ".settings.location";
        Bundle b = context.getBundle(spec.location());
        if (b != null && !ours(b) && !isTheModule(b, spec)) {
            throw new ManifestException(400, at, notOurs(b));
        }
        Manifest manifest = b == null ? fileManifest(spec.location(), at) : null;
        if (manifest != null) {
            String declared = manifest.getMainAttributes().getValue(EdgeModule.HEADER);
            String symbolicName = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            String why = notTheModule(spec, declared, symbolicName == null ? null : symbolicName.split(";")[0]
                    .strip(), -1);
            if (why != null) {
                throw new ManifestException(400, at, why);
            }
        }
    }

    /** @return the manifest of a {@code file:} location that is a jar, or null (not a file, or not there yet) */
    private static Manifest fileManifest(String location, String at) throws ManifestException {
        if (!location.startsWith("file:")) {
            return null;
        }
        try {
            Path path = Path.of(URI.create(location));
            if (!Files.isRegularFile(path)) {
                return null;
            }
            try (JarFile jar = new JarFile(path.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ManifestException(400, at, "bundle " + location + " cannot be read as a jar: " + e.getMessage());
        }
    }

    /**
     * @param self the id of the bundle that has {@code symbolicName}, or -1 if it is not installed
     * @return why a bundle declaring {@code declared} with {@code symbolicName} is not the module, or null if it is
     */
    private String notTheModule(ModuleSpec spec, String declared, String symbolicName, long self) {
        if (declared == null) {
            return "bundle " + spec.location() + " has no " + EdgeModule.HEADER + " header: it is not a module (a"
                    + " module's bundle declares its id with @EdgeModule)";
        }
        if (!spec.name().equals(declared)) {
            return "bundle " + spec.location() + " declares module id '" + declared + "' (" + EdgeModule.HEADER
                    + "), but the deployment names it '" + spec.name() + "'";
        }
        Bundle clash = symbolicName == null ? null : Arrays.stream(context.getBundles()).filter(o -> o.getBundleId()
                != self && symbolicName.equals(o.getSymbolicName()) && !ours(o)).findFirst().orElse(null);
        return clash == null ? null : "bundle " + spec.location() + " has the symbolic name " + symbolicName
                + " of bundle " + clash.getBundleId() + " (" + clash.getLocation() + "), which no deployment installed;"
                + " a deployment touches only bundles it installed";
    }

    @Override
    public String reach(ModuleSpec running) {
        Bundle b = context.getBundle(running.location());
        if (b == null) {
            return "";
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> others = wiring.getDependencyClosure(List.of(b)).stream().filter(o -> o.getBundleId()
                != b.getBundleId()).map(Bundle::getSymbolicName).sorted().toList();
        return others.isEmpty() ? "; refreshes no other bundle" : "; refreshes " + String.join(", ", others);
    }

    /**
     * Installs the module's bundle (noting it as installed by the deployment), or reuses the one it installed before.
     * A bundle at the location that no deployment installed is left alone (refused); one just installed that is not
     * the module is uninstalled.
     */
    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(spec.location());
        boolean fresh = b == null;
        if (fresh) {
            b = installFrom(spec.location());
            try {
                installed.add(b.getLocation(), Long.toString(b.getBundleId()));
            } catch (IOException e) {
                b.uninstall();
                throw e;
            }
        } else if (!ours(b)) {
            if (!isTheModule(b, spec)) {
                throw new IllegalStateException(notOurs(b));
            }
            installed.add(b.getLocation(), Long.toString(b.getBundleId()));
            LOG.info("Module {}: the deployment takes over bundle {} at {}, which is the module already", spec.name(),
                    b.getBundleId(), b.getLocation());
        }
        String why = notTheModule(spec, b.getHeaders("").get(EdgeModule.HEADER), b.getSymbolicName(),
                b.getBundleId());
        if (why != null) {
            if (fresh) {
                b.uninstall();
                installed.remove(b.getLocation());
            }
            throw new IllegalStateException(why);
        }
        if (spec.status() == DesiredStatus.RUNNING) {
            b.start();
            return true;
        }
        // A module that should not run yet is still resolved now: then it is stopped (RESOLVED), not a bundle that
        // does not resolve (INSTALLED), and a bundle that cannot resolve is found by the deployment, not later.
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).resolveBundles(List.of(b));
        return false;
    }

    /** Uninstalls the module's bundle if a deployment installed it as this module; leaves any other alone. */
    @Override
    public void remove(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            installed.remove(spec.location());
        } else if (!ours(b) || !spec.name().equals(b.getHeaders("").get(EdgeModule.HEADER))) {
            LOG.warn("Module {}: leaving bundle {} ({}) at {} installed: no deployment installed it as this module",
                    spec.name(), b.getBundleId(), b.getSymbolicName(), spec.location());
        } else {
            b.uninstall();
            installed.remove(spec.location());
        }
    }

    /**
     * The gateway started with this module deployed: its bundle, if it is there and is the module, is taken as
     * installed by the deployment (it was, by a gateway that did not keep that record yet).
     */
    @Override
    public boolean resume(ModuleSpec spec) {
        Bundle b = context.getBundle(spec.location());
        if (b != null && !ours(b) && spec.name().equals(b.getHeaders("").get(EdgeModule.HEADER))) {
            try {
                installed.add(b.getLocation(), Long.toString(b.getBundleId()));
                LOG.info("Module {}: bundle {} at {} is taken as installed by the deployment", spec.name(),
                        b.getBundleId(), spec.location());
            } catch (IOException e) {
                LOG.warn("Module {}: {}", spec.name(), e.getMessage());
            }
        }
        return false;
    }

    /** @return the module's bundle, which a deployment installed */
    private Bundle owned(ModuleSpec spec) {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            throw new IllegalStateException("module " + spec.name() + ": bundle " + spec.location()
                    + " is not installed");
        }
        if (!ours(b)) {
            throw new IllegalStateException("module " + spec.name() + ": " + notOurs(b));
        }
        return b;
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) throws Exception {
        Bundle b = owned(spec);
        if (running) {
            b.start();
        } else {
            b.stop();
        }
    }

    @Override
    public boolean restart(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            LOG.info("Installing module {} again: its bundle was uninstalled", spec.name());
            return install(spec);
        }
        restart(owned(spec));
        return true;
    }

    /** Stops a module's bundle if it runs, and starts it: what restarting a module in the framework is. */
    static void restart(Bundle b) throws Exception {
        if (b.getState() == Bundle.ACTIVE) {
            b.stop();
        }
        b.start();
    }

    @Override
    public ModuleInfo info(ModuleSpec spec) {
        return runtime.module(spec.name()).orElse(null);
    }

    /**
     * @return true for a bundle that started and is back in INSTALLED: the framework is refreshing it (at gateway
     *         start, Karaf's features service refreshes bundles while the deployment is applied), so it is waited for
     *         until the probation deadline rather than taken as failed
     */
    @Override
    public boolean settling(ModuleSpec spec) {
        Bundle b = context.getBundle(spec.location());
        return b != null && b.getState() == Bundle.INSTALLED;
    }

    @Override
    public String deadReason(ModuleSpec spec) {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            return "its bundle " + spec.location() + " is not installed (uninstalled outside the deployment?)";
        }
        return ours(b) ? null : "its bundle " + spec.location() + " was replaced outside the deployment (bundle "
                + b.getBundleId() + " was not installed by it)";
    }
}
