/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import javax.ws.rs.core.UriInfo;

/** A request's path below {@code /api}, as the API names it in errors and logs: {@code /fleet}, {@code /}. */
final class Paths {

    private Paths() {
    }

    static String of(UriInfo uri) {
        return of(uri.getPath());
    }

    static String of(String relative) {
        if (relative == null || relative.isEmpty()) {
            return "/";
        }
        return relative.startsWith("/") ? relative : "/" + relative;
    }
}
