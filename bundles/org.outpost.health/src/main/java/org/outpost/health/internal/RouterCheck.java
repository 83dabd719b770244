/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.routing.api.EndpointStatus;
import org.outpost.routing.api.Routing;

/** The broker and router: routes loaded, messages queued, and the last route set the router refused (route errors). */
@Component(service = Check.class, property = {Check.NAME + "=broker and router", Check.TAGS + "=routing"})
public final class RouterCheck implements Check {

    private final Routing routing;

    @Activate
    public RouterCheck(@Reference Routing routing) {
        this.routing = routing;
    }

    @Override
    public CheckResult run() {
        long queued = routing.endpoints().stream().mapToLong(EndpointStatus::messages).sum();
        String detail = routing.routes().size() + " routes (" + routing.routesOrigin() + "), " + queued
                + " messages queued";
        if (routing.routes().isEmpty()) {
            return CheckResult.warn(detail + ": messages go nowhere", "set routes: edge:routes-set, or the $edgeHub"
                    + " section of the deployment");
        }
        return routing.lastRejection().map(r -> CheckResult.warn(detail + "; a route set was refused (the running"
                + " routes stay): " + r, "fix the route named (etc/edgehub.json, edge:routes-set or the deployment's"
                + " $edgeHub section); docs/routing.md has the route language")).orElse(CheckResult.ok(detail));
    }
}
