/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.outpost.hub.api.DeviceRegistry;

/**
 * Calls no resource method takes get the API's own 404 and 405 ({@link Unrouted}), not the container's: those it
 * matches to nothing (404, 405), and HEAD and OPTIONS, which the API never answered as a GET or with a list of methods.
 * It runs after the token check ({@link AuthFilter}): an unknown path without a token is 401, as ever.
 */
@Component(service = {ContainerRequestFilter.class, ExceptionMapper.class})
@JaxrsExtension
@JaxrsName(Extensions.UNROUTED)
@PreMatching
@Priority(Priorities.USER)
public final class UnroutedRequests implements ContainerRequestFilter, ExceptionMapper<WebApplicationException> {

    private final Unrouted unrouted;
    @Context
    private UriInfo uriInfo;
    @Context
    private Request request;

    @Activate
    public UnroutedRequests(@Reference DeviceRegistry registry) {
        this.unrouted = new Unrouted(registry);
    }

    @Override
    public void filter(ContainerRequestContext context) {
        String method = context.getMethod();
        if (method.equals("HEAD") || method.equals("OPTIONS")) {
            context.abortWith(ApiErrors.response(unrouted.refusal(method, Paths.of(context.getUriInfo()))));
        }
    }

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 404 || status == 405) {
            return ApiErrors.response(unrouted.refusal(request.getMethod(), Paths.of(uriInfo)));
        }
        return e.getResponse();
    }
}
