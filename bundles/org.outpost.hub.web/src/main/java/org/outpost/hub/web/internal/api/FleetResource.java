/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.Telemetry;

/** {@code /api/fleet}: the fleet at a glance. */
@Component(service = FleetResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("fleet")
@Tag(name = "fleet")
public final class FleetResource {

    /**
     * The fleet's health, as {@code GET /api/fleet} answers it. {@code telemetryReceived} counts from this hub node's
     * start ({@code telemetryReceivedSince}), while a device's {@code messages} are kept across restarts;
     * {@code failingModules} are modules failing now, {@code failedDeployments} devices on which a deployment failed
     * (a refused or rolled-back deployment leaves its modules running the last good one).
     */
    @Schema(name = "Fleet")
    record Health(int devices, int connected, int disabled, int deployments, long telemetryReceived,
            String telemetryReceivedSince, List<Fleet.FailingModule> failingModules,
            List<Fleet.FailedDeployment> failedDeployments) {
    }

    private final Fleet fleet;
    private final Telemetry telemetry;

    @Activate
    public FleetResource(@Reference Fleet fleet, @Reference Telemetry telemetry) {
        this.fleet = fleet;
        this.telemetry = telemetry;
    }

    @GET
    @Operation(summary = "The fleet at a glance: devices, connected, disabled, deployments, telemetry received since"
            + " this hub node started, every module failing now, every device on which a deployment failed",
            responses = @ApiResponse(responseCode = "200", description = "Fleet"))
    public Health health() {
        Fleet.Health h = fleet.health();
        return new Health(h.devices(), h.connected(), h.disabled(), h.deployments(), telemetry.received(),
                telemetry.receivedSince().toString(), h.failingModules(), h.failedDeployments());
    }
}
