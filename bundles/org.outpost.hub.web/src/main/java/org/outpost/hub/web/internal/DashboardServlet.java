/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.hub.web.internal.api.HttpTransport;

/**
 * The web dashboard: the static files of this bundle's {@code /dashboard/} folder, at {@code /dashboard/}
 * ({@code index.html} for the folder itself). The page calls the REST API with the token the operator gives it (kept
 * in the browser tab's session storage only).
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/dashboard/*",
        "osgi.http.whiteboard.servlet.name=outpost-dashboard"})
public final class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Not used: needed, so that the dashboard is not served over plain HTTP off loopback ({@link HttpTransport}). */
    @Reference
    private transient HttpTransport transport;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null) {
            // /dashboard: relative links need the folder's slash.
            resp.sendRedirect(req.getRequestURI() + "/");
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        // Only the dashboard's own files: no folders, no way out of it.
        if (type == null || name.contains("/") || name.contains("..")) {
            resp.sendError(404, "no such dashboard file: " + path);
            return;
        }
        try (InputStream in = DashboardServlet.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                resp.sendError(404, "no such dashboard file: " + path);
                return;
            }
            resp.setContentType(type);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Content-Security-Policy", "default-src 'self'");
            in.transferTo(resp.getOutputStream());
        }
    }
}
