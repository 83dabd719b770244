/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.LogQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modules as the runtime lists them, by their bundle: those dropped into {@code deploy/} by hand, and the deployed
 * ones whose kind keeps no log of its own. Their log is their lines of the gateway log.
 */
final class ModuleBundles {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final BundleContext context;
    private final EdgeRuntime runtime;

    ModuleBundles(BundleContext context, EdgeRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
    }

    /** @return the module's records of the gateway log ({@code karaf.log}) matching {@code query} */
    List<String> logs(String module, LogQuery query) throws IOException {
        ModuleInfo info = find(module);
        Bundle b = context.getBundle(info.bundleId());
        Path log = Path.of(Objects.requireNonNullElse(context.getProperty("karaf.log"), "data/log"), "karaf.log");
        // Karaf's log lines name the bundle as "| <id> - <symbolic name> - <version> |".
        String marker = "| " + info.bundleId() + " - " + (b == null ? "" : b.getSymbolicName()) + " - ";
        return ModuleLogs.gateway(log, l -> l.contains(marker), query, ZoneId.systemDefault());
    }

    /** Stops the module's bundle if it is active, and starts it. */
    void restart(String module) throws Exception {
        ModuleInfo info = find(module);
        Bundle b = context.getBundle(info.bundleId());
        if (b == null) {
            throw new IllegalArgumentException("module '" + module + "' has no bundle installed");
        }
        LOG.info("Restarting module {} on request", module);
        if (b.getState() == Bundle.ACTIVE) {
            b.stop();
        }
        b.start();
    }

    private ModuleInfo find(String module) {
        return runtime.module(module).orElseThrow(() -> new IllegalArgumentException("no module '" + module
                + "' (see edge:list)"));
    }
}
