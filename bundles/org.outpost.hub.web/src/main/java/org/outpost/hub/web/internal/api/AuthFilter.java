/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.protocol.AuthLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's token check, before any routing: every call but {@code GET /api/openapi.json} needs
 * {@code Authorization: Bearer <token>}, the token configured in {@code org.outpost.hub.api} or the one made at first
 * start in {@code ${karaf.data}/outpost/hub/api-token}. Ten wrong tokens a minute from one address, then that address
 * gets 429 without a check until the minute is over.
 */
@Component(service = ContainerRequestFilter.class, configurationPid = AuthFilter.PID)
@Designate(ocd = AuthFilter.Config.class)
@JaxrsExtension
@JaxrsName(Extensions.AUTH)
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {

    static final String PID = "org.outpost.hub.api";
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    @ObjectClassDefinition(name = "Outpost hub REST API", description = "The REST API and the dashboard that uses it.")
    public @interface Config {
        @AttributeDefinition(description = "The bearer token callers give (Authorization: Bearer <token>). Empty: the"
                + " hub makes one at first start and keeps it in data/outpost/hub/api-token.")
        String token() default "";
    }

    private final byte[] token;
    /** Ten wrong tokens a minute from one address, then it waits. */
    private final AuthLimiter failures;
    @Context
    private HttpServletRequest servletRequest;
    /** Not used: needed, so that the API is not served over plain HTTP off loopback ({@link HttpTransport}). */
    @Reference
    private HttpTransport transport;

    @Activate
    public AuthFilter(BundleContext context, Config config) throws IOException {
        this(tokenOf(context, config), new AuthLimiter(10, Duration.ofMinutes(1), Clock.systemUTC()));
    }

    AuthFilter(String token, AuthLimiter failures) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.failures = failures;
    }

    private static String tokenOf(BundleContext context, Config config) throws IOException {
        if (!config.token().isBlank()) {
            return config.token();
        }
        Path file = Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "hub",
                "api-token");
        String t = TokenFile.readOrCreate(file);
        LOG.info("REST API and dashboard: /api and /dashboard/ on the HTTP port (etc/org.apache.felix.http.cfg);"
                + " the API token is in {}", file);
        return t;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            check(request.getMethod(), Paths.of(request.getUriInfo()), servletRequest.getRemoteAddr(),
                    request.getHeaderString(HttpHeaders.AUTHORIZATION));
        } catch (ApiException e) {
            request.abortWith(ApiErrors.response(e));
        }
    }

    /** Lets the call through, or throws the 429 or 401 it gets. */
    void check(String method, String path, String address, String authorization) {
        if (path.equals("/openapi.json") && method.equals("GET")) {
            return;
        }
        long wait = (failures.blocked(address).toMillis() + 999) / 1000;
        if (wait > 0) {
            // Refused without a check: guessing the token goes no faster than the window allows.
            throw new ApiException(429, "too many calls with a wrong token from " + address + "; try again in "
                    + wait + " s", null, Map.of("Retry-After", Long.toString(wait)));
        }
        if (!authorized(authorization)) {
            if (authorization != null) {
                // A wrong token counts; no token at all is a caller that has not logged in yet.
                failures.failed(address);
                LOG.warn("REST API: {} {} from {} with a wrong token", method, path, address);
            }
            throw new ApiException(401, "give the API token as 'Authorization: Bearer <token>' (it is in"
                    + " data/outpost/hub/api-token on the hub, or etc/" + PID + ".cfg)", null,
                    Map.of("WWW-Authenticate", "Bearer realm=\"outpost-hub\""));
        }
    }

    private boolean authorized(String h) {
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }
}
