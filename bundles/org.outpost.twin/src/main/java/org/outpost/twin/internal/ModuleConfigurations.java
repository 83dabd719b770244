/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.RunningDeployment;

/**
 * Which configuration a module's desired properties go to, and its Metatype definition: the PID is the deployment's
 * {@code settings.pid}, else the one PID the module's bundle defines in Metatype, else
 * {@code org.outpost.module.<id>}; the definition is the bundle's Metatype definition of that PID, if it has one.
 * A PID the deployment policy does not give the module (a bundle dropped into {@code deploy/} whose Metatype defines
 * {@code org.outpost.upstream}, or another module's {@code org.outpost.module.<name>}) is refused by the running
 * deployment's rule ({@link RunningDeployment#configurationRefused}, {@code config.reserved.pids} and
 * {@code config.allowed.pids} of {@code etc/org.outpost.deployment.cfg}); without a running deployment to ask, any PID
 * but {@code org.outpost.module.<id>} is refused.
 * <p>
 * The deployment's PIDs come from its {@link RunningDeployment}, a service that references nothing, bound when it is
 * there: never from the deployer, whose activation reaches module components (through the runtime's input
 * dispatcher) that may use their ModuleTwin, so a reference from the twins to the deployer would close a cycle.
 */
@Component(service = ModuleConfigurations.class)
public final class ModuleConfigurations {

    /**
     * @param pid the configuration PID
     * @param definition its Metatype definition, null if the module has none for it (the desired properties are then
     *            untyped)
     * @param refused why the module may not have that configuration, or null if it may
     */
    record Target(String pid, ObjectClassDefinition definition, String refused) {

        Target(String pid, ObjectClassDefinition definition) {
            this(pid, definition, null);
        }
    }

    private final BundleContext context;
    private final MetaTypeService metaType;
    private final EdgeRuntime runtime;
    private volatile RunningDeployment deployment;

    @Activate
    public ModuleConfigurations(BundleContext context, @Reference MetaTypeService metaType,
            @Reference EdgeRuntime runtime) {
        this.context = context;
        this.metaType = metaType;
        this.runtime = runtime;
    }

    /** Without a running deployment (the deployment bundle is not there), no module has a deployment PID. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDeployment(RunningDeployment deployment) {
        this.deployment = deployment;
    }

    void unbindDeployment(RunningDeployment deployment) {
        if (this.deployment == deployment) {
            this.deployment = null;
        }
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
        return new Target(pid, ocd, refused(module, pid));
    }

    /** @return why the module may not have the configuration {@code pid}, or null if it may */
    private String refused(String module, String pid) {
        String own = "org.outpost.module." + module;
        RunningDeployment d = deployment;
        if (d == null) {
            return pid.equals(own) ? null : "'" + pid + "' cannot be checked against the deployment policy (the"
                    + " deployment service is not running), so only " + own + " is given desired properties";
        }
        return d.configurationRefused(module, pid).orElse(null);
    }

    /** @return the module's configuration PID in the running deployment, or null if it has none */
    private String deployedPid(String module) {
        RunningDeployment d = deployment;
        return d == null ? null : d.configurationPid(module).orElse(null);
    }
}
