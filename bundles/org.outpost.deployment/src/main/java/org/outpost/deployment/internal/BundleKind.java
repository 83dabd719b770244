/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.spi.ModuleKind;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundle modules: an OSGi bundle from its location ({@code settings.location}), which declares the module id in its
 * {@value EdgeModule#HEADER} header. The runtime tells its state.
 */
@Component(service = ModuleKind.class, property = ModuleKind.KIND + "=bundle")
public final class BundleKind implements ModuleKind {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final BundleContext context;
    private final EdgeRuntime runtime;

    @Activate
    public BundleKind(BundleContext context, @Reference EdgeRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
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

    @Override
    public boolean install(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            b = context.installBundle(spec.location());
        }
        String declared = b.getHeaders("").get(EdgeModule.HEADER);
        if (!spec.name().equals(declared)) {
            b.uninstall();
            throw new IllegalStateException("bundle " + spec.location() + " declares module id '" + declared
                    + "' (" + EdgeModule.HEADER + "), but the deployment names it '" + spec.name() + "'");
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

    @Override
    public void remove(ModuleSpec spec) throws Exception {
        Bundle b = context.getBundle(spec.location());
        if (b != null) {
            b.uninstall();
        }
    }

    @Override
    public void setRunning(ModuleSpec spec, boolean running) throws Exception {
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            throw new IllegalStateException("module " + spec.name() + ": bundle " + spec.location()
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
        Bundle b = context.getBundle(spec.location());
        if (b == null) {
            LOG.info("Installing module {} again: its bundle was uninstalled", spec.name());
            return install(spec);
        }
        restart(b);
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
        return context.getBundle(spec.location()) == null ? "its bundle " + spec.location()
                + " is not installed (uninstalled outside the deployment?)" : null;
    }
}
