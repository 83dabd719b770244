/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import javax.ws.rs.ApplicationPath;
import javax.ws.rs.core.Application;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The API as its OpenAPI document describes it: the base path and the document's info, read at build time by
 * swagger-maven-plugin with the resources. Not registered: at runtime the resources join the whiteboard's default
 * application, whose base is {@code /api} (etc/org.apache.aries.jax.rs.whiteboard.default.cfg).
 */
@ApplicationPath("/api")
@OpenAPIDefinition(info = @Info(title = "Outpost hub REST API", version = "1.0.0", license = @License(
        name = "Apache-2.0"), description = "Devices, tags, twins, deployments at scale and the fleet's health. Every"
                + " call but this description needs 'Authorization: Bearer <token>' (the token is in"
                + " data/outpost/hub/api-token on the hub, or set in etc/org.outpost.hub.api.cfg). Errors are"
                + " {\"error\", \"path\"}: 400 bad input (nothing changed), 401, 404, 409, 413; 429 after ten wrong"
                + " tokens a minute from one address (see Retry-After)."), security = @SecurityRequirement(
                        name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class ApiDescription extends Application {
}
