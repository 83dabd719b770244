/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.InputStream;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/openapi.json}: the API's OpenAPI document, generated from these resources' annotations at build time
 * (swagger-maven-plugin, into this bundle's {@code /api/openapi.json}); no token needed.
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("openapi.json")
public final class OpenApiResource {

    @GET
    @Operation(summary = "This description (no token needed)", responses = @ApiResponse(responseCode = "200",
            description = "OpenAPI 3"))
    public Response document() {
        InputStream in = OpenApiResource.class.getResourceAsStream("/api/openapi.json");
        return Response.ok(in, "application/json").build();
    }
}
