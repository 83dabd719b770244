/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;

/**
 * Which configuration a module's desired properties go to, and its Metatype definition: the PID is the deployment's
 * {@code settings.pid}, else the one PID the module's bundle defines in Metatype, else
 * {@code org.outpost.module.<id>}; the definition is the bundle's Metatype definition of that PID, if it has one.
 */
final class ModuleConfigurations {

    /**
     * @param pid the configuration PID
     * @param definition its Metatype definition, null if the module has none for it (the desired properties are then
     *            untyped)
     */
    record Target(String pid, ObjectClassDefinition definition) {
    }

    private final BundleContext context;
    private final MetaTypeService metaType;
    private final EdgeRuntime runtime;

    ModuleConfigurations(BundleContext context, MetaTypeService metaType, EdgeRuntime runtime) {
        this.context = context;
        this.metaType = metaType;
        this.runtime = runtime;
    }

    /** @return where the module's desired properties go now */
    Target target(String module) {
        Bundle bundle = runtime.module(module).filter(m -> m.bundleId() >= 0)
                .map(m -> context.getBundle(m.bundleId())).orElse(null);
        MetaTypeInformation info = bundle == null ? null : metaType.getMetaTypeInformation(bundle);
        String pid = deployedPid(module);
        if (pid == null && info != null && info.getPids() != null && info.getPids().length == 1) {
            pid = info.getPids()[0];
        }
        if (pid == null) {
            pid = "org.outpost.module." + module;
        }
        ObjectClassDefinition ocd = null;
        if (info != null && info.getPids() != null && List.of(info.getPids()).contains(pid)) {
            ocd = info.getObjectClassDefinition(pid, null);
        }
        return new Target(pid, ocd);
    }

    /**
     * The module's configuration PID in the running deployment, if it has one. The deployer is looked up here, not
     * referenced: the deployment's activation reaches module components (through the runtime's input dispatcher), a
     * module component may use its ModuleTwin, and so any reference from the twins to the deployer closes a cycle.
     */
    private String deployedPid(String module) {
        ServiceReference<Deployer> ref = context.getServiceReference(Deployer.class);
        Deployer d = ref == null ? null : context.getService(ref);
        if (d == null) {
            return null;
        }
        try {
            return d.configurationPid(module).orElse(null);
        } finally {
            context.ungetService(ref);
        }
    }
}
