/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;

/**
 * {@code /api/devices/{id}/children}: the devices below a gateway (its children, or with {@code descendants=true}
 * every device below it, parents before their children), each as in the device list.
 */
@Component(service = DeviceChildrenResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("devices/{deviceId}/children")
@Tag(name = "devices")
public final class DeviceChildrenResource {

    private final DeviceRegistry registry;
    private final DeviceViews views;

    @Activate
    public DeviceChildrenResource(@Reference DeviceRegistry registry, @Reference Twins twins,
            @Reference Deployments deployments, @Reference Telemetry telemetry) {
        this.registry = registry;
        this.views = new DeviceViews(twins, deployments, telemetry);
    }

    @GET
    @Operation(summary = "The devices below a gateway: its children, or every device below it", responses = {
            @ApiResponse(responseCode = "200", description = "Devices, as in the device list"),
            @ApiResponse(responseCode = "400", description = "A bad parameter",
                    content = @Content(schema = @Schema(implementation = ApiError.class))),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<Map<String, Object>> children(@PathParam("deviceId") String id,
            @Parameter(description = "true: every device below it (children, grandchildren, ...); default false")
            @QueryParam("descendants") String descendants) {
        if (descendants != null && !descendants.equals("true") && !descendants.equals("false")) {
            throw new ApiException(400, "descendants is 'true' or 'false'", "descendants");
        }
        if (registry.device(id).isEmpty()) {
            throw new ApiException(404, "no device '" + id + "'", null);
        }
        List<Device> below = "true".equals(descendants) ? registry.descendants(id) : registry.children(id);
        return views.summaries(below, DeviceViews.childCounts(registry.devices()));
    }
}
