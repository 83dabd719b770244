/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class DashboardServletTest {

    /** What the servlet answered: status, headers, body. */
    private static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    private static Answer get(String pathInfo) throws Exception {
        Answer a = new Answer();
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(DashboardServletTest.class
                .getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getRequestURI" -> "/dashboard";
                    default -> throw new AssertionError("unexpected call: " + m.getName());
                });
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                a.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(DashboardServletTest.class
                .getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setHeader" -> a.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> a.headers.put("Content-Type", (String) args[0]);
                        case "sendError" -> a.status = (int) args[0];
                        case "sendRedirect" -> {
                            a.status = 302;
                            a.headers.put("Location", (String) args[0]);
                        }
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new AssertionError("unexpected call: " + m.getName());
                    }
                    return null;
                });
        new DashboardServlet().doGet(req, resp);
        return a;
    }

    @Test
    void thePageMayNotBeFramedByAnotherSite() throws Exception {
        Answer page = get("/");
        assertThat(page.status).isEqualTo(200);
        assertThat(page.body.toString()).contains("<script src=\"app.js\"></script>");
        assertThat(page.headers).containsEntry("X-Frame-Options", "DENY")
                .containsEntry("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri"
                        + " 'none'; form-action 'self'")
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("Content-Type", "text/html; charset=utf-8");
    }

    @Test
    void redirectsAndMissingFilesCarryTheSameHeaders() throws Exception {
        Answer redirect = get(null);
        assertThat(redirect.status).isEqualTo(302);
        assertThat(redirect.headers).containsEntry("Location", "/dashboard/").containsEntry("X-Frame-Options",
                "DENY");
        Answer missing = get("/../secret.js");
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.headers).containsAllEntriesOf(SecurityHeaders.DASHBOARD);
    }
}
