/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;

/**
 * Configuration errors (iotedge check's "configuration file is well-formed" and "up-to-date config"): components of
 * Outpost bundles that failed to activate (their constructors refuse a bad configuration, saying which key), or that
 * are configured and wait for a service that is not there. (The refused deployment is the deployment check's; refused routes the router's.)
 */
@Component(service = Check.class, property = {Check.NAME + "=configuration", Check.TAGS + "=configuration"})
public final class ConfigurationCheck implements Check {

    /** A component's problem, from Declarative Services' runtime. */
    record Problem(String component, String bundle, boolean failed, String why) {
    }

    private final ServiceComponentRuntime scr;

    @Activate
    public ConfigurationCheck(@Reference ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    @Override
    public CheckResult run() {
        List<Problem> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle == null || d.bundle.symbolicName == null || !d.bundle.symbolicName.startsWith("org.outpost.")
                    || !scr.isComponentEnabled(d)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    problems.add(new Problem(d.name, d.bundle.symbolicName, true, firstLine(c.failure)));
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && configured(c)) {
                    List<String> missing = new ArrayList<>();
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        missing.add(r.name + (r.target == null ? "" : " " + r.target));
                    }
                    problems.add(new Problem(d.name, d.bundle.symbolicName, false, "waits for " + String.join(", ",
                            missing)));
                }
            }
        }
        return judge(problems);
    }

    /**
     * @return whether the component was given a configuration (an {@code etc/} file or Config Admin): the operator
     *         wants it to run, so waiting for a service is worth a warning; an unconfigured optional component waiting
     *         for a service that is not configured either is normal
     */
    static boolean configured(ComponentConfigurationDTO c) {
        return c.properties != null && c.properties.containsKey("service.pid");
    }

    static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "failed to activate";
        }
        String line = failure.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    static CheckResult judge(List<Problem> problems) {
        List<String> critical = new ArrayList<>();
        List<String> warn = new ArrayList<>();
        for (Problem p : problems) {
            (p.failed() ? critical : warn).add(p.component() + " (" + p.bundle() + "): " + p.why());
        }
        if (!critical.isEmpty()) {
            critical.addAll(warn);
            return CheckResult.critical(String.join("; ", critical), "fix the key named in its etc/<pid>.cfg and"
                    + " save it: the component starts again by itself");
        }
        if (!warn.isEmpty()) {
            return CheckResult.warn(String.join("; ", warn), "the service waited for is missing: see the"
                    + " configuration check of the component that provides it, and feature:list / bundle:list");
        }
        return CheckResult.ok("every Outpost component is active or not configured");
    }
}
