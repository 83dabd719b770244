/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;

/**
 * {@code /api/devices/{id}/health}: a gateway's health checks as its {@code $edgeAgent} twin last reported them
 * (status ok, warn, critical or unknown; the count of each; the failing checks with what to do).
 */
@Component(service = DeviceHealthResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("devices/{deviceId}/health")
@Tag(name = "devices")
public final class DeviceHealthResource {

    private final DeviceRegistry registry;
    private final Twins twins;

    @Activate
    public DeviceHealthResource(@Reference DeviceRegistry registry, @Reference Twins twins) {
        this.registry = registry;
        this.twins = twins;
    }

    @GET
    @Operation(summary = "A gateway's health: its checks as its $edgeAgent twin last reported them", responses = {
            @ApiResponse(responseCode = "200", description = "deviceId, connectionState, status (ok, warn, critical,"
                    + " unknown: never reported), ok, warn, critical (counts), failing (check, result, detail,"
                    + " action), reportedVersion"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> health(@PathParam("deviceId") String id) {
        Device device = registry.device(id).orElseThrow(() -> new ApiException(404, "no device '" + id + "'", null));
        return HealthViews.view(device, twins.twin(id, HealthViews.AGENT), true);
    }
}
