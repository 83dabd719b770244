/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.outpost.protocol.TwinDocument;

/**
 * {@code /api/health}: every device's health status in one read of their {@code $edgeAgent} twins (for the
 * dashboard's badges and for alerting scripts), optionally only those not ok.
 */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("health")
@Tag(name = "devices")
public final class HealthResource {

    private final DeviceRegistry registry;
    private final Twins twins;

    @Activate
    public HealthResource(@Reference DeviceRegistry registry, @Reference Twins twins) {
        this.registry = registry;
        this.twins = twins;
    }

    @GET
    @Operation(summary = "Every device's health status (deviceId, connectionState, status, ok, warn, critical)",
            responses = @ApiResponse(responseCode = "200", description = "One entry per device, by id"))
    public List<Map<String, Object>> health(@Parameter(description = "warn: only devices whose status is warn or"
            + " critical; critical: only critical ones") @QueryParam("atLeast") String atLeast) {
        if (atLeast != null && !atLeast.equals("warn") && !atLeast.equals("critical")) {
            throw new ApiException(400, "atLeast is 'warn' or 'critical'", "atLeast");
        }
        List<Device> devices = registry.devices();
        Map<String, TwinDocument> agents = twins.twinsOf(devices.stream().map(Device::id).toList(),
                HealthViews.AGENT);
        return devices.stream().map(d -> HealthViews.view(d, agents.get(d.id()), false))
                .filter(v -> atLeast == null || v.get("status").equals("critical")
                        || atLeast.equals("warn") && v.get("status").equals("warn"))
                .sorted(java.util.Comparator.comparing(v -> (String) v.get("deviceId"))).toList();
    }
}
