/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import org.osgi.service.component.annotations.Component;

/**
 * The web dashboard: static files of this bundle ({@code /dashboard/} in it) served at {@code /dashboard/*} by the
 * HTTP Whiteboard. The page calls the REST API with the token the operator gives it (kept in the browser's session
 * storage only).
 */
@Component(service = Dashboard.class, property = {"osgi.http.whiteboard.resource.pattern=/dashboard/*",
        "osgi.http.whiteboard.resource.prefix=/dashboard"})
public final class Dashboard {
}
