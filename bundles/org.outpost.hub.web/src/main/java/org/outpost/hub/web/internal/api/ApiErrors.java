/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import javax.ws.rs.core.Context;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.protocol.TwinException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed call tells its caller, as {@code {"error", "path"}}: a refusal with its own status; a deployment or
 * twin the services refuse, 400 with its JSON path; "no device 'x'" and the like 404, other bad input 400; anything
 * else 500 (and the log says more).
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(Extensions.ERRORS)
public final class ApiErrors implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Context
    private Request request;
    @Context
    private UriInfo uriInfo;

    @Override
    public Response toResponse(RuntimeException e) {
        ApiException a = apiException(e);
        if (a.status() == 500) {
            LOG.warn("{} {} failed", request.getMethod(), Paths.of(uriInfo), e);
        }
        return response(a);
    }

    /** What the caller is told about {@code e}. */
    static ApiException apiException(RuntimeException e) {
        if (e instanceof ApiException a) {
            return a;
        }
        if (e instanceof DeploymentException d) {
            return new ApiException(400, d.getMessage(), d.path());
        }
        if (e instanceof TwinException t) {
            return new ApiException(400, t.getMessage(), t.path());
        }
        if (e instanceof IllegalArgumentException) {
            // The services say "no device 'x'" for unknown ones, and what is wrong for bad input.
            return new ApiException(e.getMessage() != null && e.getMessage().startsWith("no ") ? 404 : 400,
                    e.getMessage(), null);
        }
        return new ApiException(500, "the hub failed: " + e + " (see its log)", null);
    }

    static Response response(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.status()).entity(ApiJson.error(e.getMessage(), e.path()));
        e.headers().forEach(r::header);
        return r.build();
    }
}
