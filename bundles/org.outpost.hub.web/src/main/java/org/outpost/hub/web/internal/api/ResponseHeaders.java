/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.InputStream;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.HttpHeaders;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.outpost.hub.web.internal.SecurityHeaders;

/**
 * On every answer: {@code Cache-Control: no-store} (answers carry device keys and twins), the
 * {@link SecurityHeaders#API security headers} (never framed, never sniffed, no referrer), and JSON in UTF-8 as the
 * type of every body but a stream (the OpenAPI document, which sets its own), whatever the caller accepts.
 */
@Component(service = ContainerResponseFilter.class)
@JaxrsExtension
@JaxrsName(Extensions.HEADERS)
public final class ResponseHeaders implements ContainerResponseFilter {

    static final String JSON = "application/json;charset=utf-8";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        SecurityHeaders.API.forEach(response.getHeaders()::putSingle);
        if (response.hasEntity() && !(response.getEntity() instanceof InputStream)) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, JSON);
        }
    }
}
