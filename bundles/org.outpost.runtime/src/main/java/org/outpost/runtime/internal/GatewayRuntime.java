/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.karaf.bundle.core.BundleService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.util.tracker.BundleTracker;
import org.outpost.api.message.Message;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.SendException;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleOwner;
import org.outpost.api.runtime.ModuleState;

/**
 * Knows every module bundle (any bundle with an {@value EdgeModule#HEADER} header, in any state) and tells its state:
 * a module runs when its bundle is active and none of its components failed; otherwise the reason comes from the
 * resolver (Karaf's bundle diagnostics) or from Declarative Services.
 */
@Component(service = EdgeRuntime.class)
public final class GatewayRuntime implements EdgeRuntime {

    private final Ingress ingress;
    private final ModuleCounters counters;
    private final ModuleThreads threads;
    private final ServiceComponentRuntime scr;
    private final BundleTracker<String> modules;
    private volatile BundleService bundleService;

    private final ModuleOwners owners = new ModuleOwners();

    /**
     * Whoever manages modules registers a {@link ModuleOwner} (a whiteboard): the deployment does, once it has
     * started, from components that reference nothing of the runtime, so the runtime never needs the deployment.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindOwner(ModuleOwner owner) {
        owners.add(owner);
    }

    void unbindOwner(ModuleOwner owner) {
        owners.remove(owner);
    }

    @Activate
    public GatewayRuntime(BundleContext context, @Reference Ingress ingress, @Reference ModuleCounters counters,
            @Reference ModuleThreads threads, @Reference ServiceComponentRuntime scr) {
        this.ingress = ingress;
        this.threads = threads;
        this.counters = counters;
        this.scr = scr;
        int all = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
        this.modules = new BundleTracker<>(context, all, null) {
            @Override
            public String addingBundle(Bundle bundle, org.osgi.framework.BundleEvent event) {
                return bundle.getHeaders("").get(EdgeModule.HEADER);
            }
        };
        modules.open();
    }

    @Deactivate
    void deactivate() {
        modules.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindBundleService(BundleService service) {
        this.bundleService = service;
    }

    void unbindBundleService(BundleService service) {
        if (bundleService == service) {
            bundleService = null;
        }
    }

    @Override
    public String deviceId() {
        return ingress.deviceId();
    }

    @Override
    public List<ModuleInfo> modules() {
        List<ModuleInfo> out = modules.getTracked().entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> info(e.getKey(), e.getValue())).collect(Collectors.toList());
        // Modules that are not bundles (containers); a bundle module of the same name wins.
        out.addAll(owners.ownModules(out.stream().map(ModuleInfo::name).collect(Collectors.toSet())));
        out.sort(Comparator.comparing(ModuleInfo::name));
        return out;
    }

    @Override
    public Optional<ModuleInfo> module(String name) {
        return modules().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Override
    public void inject(String module, String output, Message message) throws SendException {
        ingress.send(module, output, message);
    }

    private ModuleInfo info(Bundle bundle, String name) {
        ModuleState state;
        String reason = "";
        switch (bundle.getState()) {
            case Bundle.ACTIVE -> {
                reason = componentProblems(bundle);
                String death = threads.death(name);
                if (death != null) {
                    reason = reason.isEmpty() ? death : reason + "; " + death;
                }
                state = reason.isEmpty() ? ModuleState.RUNNING : ModuleState.FAILED;
            }
            case Bundle.INSTALLED -> {
                state = ModuleState.FAILED;
                reason = "does not resolve" + diagnostics(bundle);
            }
            case Bundle.RESOLVED -> {
                state = ModuleState.STOPPED;
                reason = "resolved, not started" + diagnostics(bundle);
            }
            default -> state = ModuleState.UNKNOWN;
        }
        String type = typeOf(bundle.getHeaders(""));
        if (type.equals(CAMEL)) {
            reason = withoutExceptionNames(reason);
        }
        return new ModuleInfo(name, type, state, bundle.getBundleId(), bundle.getVersion().toString(),
                owners.manage(name), counters.sentBy(name), counters.receivedBy(name), reason);
    }

    /**
     * The header of a route module's bundle (org.outpost.camel.modules.api.RouteBundle.ROUTES_HEADER), made from
     * Camel route files in {@code deploy/} or by a deployment's {@code camel} module.
     */
    static final String CAMEL_ROUTES_HEADER = "Outpost-Camel-Routes";
    static final String CAMEL = "camel";
    private static final java.util.regex.Pattern EXCEPTION_NAME = java.util.regex.Pattern.compile(
            "^(?:[A-Za-z_$][\\w$]*\\.)+[A-Za-z_$][\\w$]*(?:Exception|Error): ");

    /** @return {@code camel} for a route module's bundle, else {@code bundle} */
    static String typeOf(java.util.Dictionary<String, String> headers) {
        return headers.get(CAMEL_ROUTES_HEADER) != null ? CAMEL : "bundle";
    }

    /**
     * @return a route module's reason as operators read it: the route file, line, column and what is wrong, without
     *         the exception class names DS puts before it ({@code ...ComponentException: ...RuntimeCamelException:})
     */
    static String withoutExceptionNames(String reason) {
        String prefix = "failed to activate: ";
        int at = reason.indexOf(prefix);
        if (at < 0) {
            return reason;
        }
        String rest = reason.substring(at + prefix.length());
        for (java.util.regex.Matcher m = EXCEPTION_NAME.matcher(rest); m.find(); m = EXCEPTION_NAME.matcher(rest)) {
            rest = rest.substring(m.end());
        }
        return reason.substring(0, at + prefix.length()) + rest;
    }

    private String diagnostics(Bundle bundle) {
        BundleService bs = bundleService;
        if (bs == null) {
            return "";
        }
        String missing = bs.getUnsatisfiedRequirements(bundle, null).stream()
                .map(GatewayRuntime::describe).collect(Collectors.joining(", "));
        return missing.isEmpty() ? "" : ": missing " + missing;
    }

    /** @return a requirement as an operator reads it, e.g. {@code package com.acme.x [1.0,2)} */
    static String describe(org.osgi.framework.wiring.BundleRequirement r) {
        String filter = r.getDirectives().getOrDefault("filter", "");
        if ("osgi.wiring.package".equals(r.getNamespace())) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("osgi\\.wiring\\.package=([^)]+)")
                    .matcher(filter);
            if (m.find()) {
                return "package " + m.group(1);
            }
        }
        return r.getNamespace() + " " + filter;
    }

    private String componentProblems(Bundle bundle) {
        StringBuilder out = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    append(out, "component " + d.name + " failed to activate: " + firstLine(c.failure));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        && c.unsatisfiedReferences != null && c.unsatisfiedReferences.length > 0) {
                    // With none listed, SCR has every reference and is on its way to SATISFIED: not a problem.
                    String missing = java.util.Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " ("
                            + targetOf(r) + ")").collect(Collectors.joining(", "));
                    append(out, "component " + d.name + " waits for " + missing);
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION) {
                    append(out, "component " + d.name + " waits for configuration " + String.join(",", d.configurationPid));
                }
            }
        }
        return out.toString();
    }

    private static String targetOf(UnsatisfiedReferenceDTO r) {
        return r.target == null ? "no service" : r.target;
    }

    private static String firstLine(String failure) {
        if (failure == null) {
            return "unknown error";
        }
        int nl = failure.indexOf('\n');
        return (nl < 0 ? failure : failure.substring(0, nl)).trim();
    }

    private static void append(StringBuilder out, String problem) {
        if (out.length() > 0) {
            out.append("; ");
        }
        out.append(problem);
    }
}
