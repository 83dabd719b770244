/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

/**
 * The names of the API's whiteboard extensions. Every resource selects them all, so that none is served before the
 * token check and the error mappers are there.
 */
final class Extensions {

    static final String AUTH = "outpost-hub-api-auth";
    static final String JSON = "outpost-hub-api-json";
    static final String HEADERS = "outpost-hub-api-headers";
    static final String ERRORS = "outpost-hub-api-errors";
    static final String UNROUTED = "outpost-hub-api-unrouted";

    static final String SELECT_AUTH = "(osgi.jaxrs.name=" + AUTH + ")";
    static final String SELECT_JSON = "(osgi.jaxrs.name=" + JSON + ")";
    static final String SELECT_HEADERS = "(osgi.jaxrs.name=" + HEADERS + ")";
    static final String SELECT_ERRORS = "(osgi.jaxrs.name=" + ERRORS + ")";
    static final String SELECT_UNROUTED = "(osgi.jaxrs.name=" + UNROUTED + ")";

    private Extensions() {
    }
}
