/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.IOException;
import java.nio.file.Path;
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
 * start in {@code ${karaf.data}/outpost/hub/api-token}. A token shorter than {@value ApiToken#MIN_LENGTH} characters
 * (an empty file, a short configured value) is refused at start: every call gets 503 and the log says how to fix it.
 * <p>
 * The right token always passes. Ten wrong tokens a minute from one address, then further wrong tokens from that
 * address get 429 until the minute is over; callers behind the same proxy that have the right token are not
 * affected. Calls without any token are not counted.
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
        @AttributeDefinition(description = "The bearer token callers give (Authorization: Bearer <token>), at least 32"
                + " characters. Empty: the hub makes one at first start and keeps it in data/outpost/hub/api-token.")
        String token() default "";
    }

    private final ApiToken token;
    /** Ten wrong tokens a minute from one address, then its wrong tokens wait. */
    private final AuthLimiter failures;
    @Context
    private HttpServletRequest servletRequest;
    /** Not used: needed, so that the API is not served over plain HTTP off loopback ({@link HttpTransport}). */
    @Reference
    private HttpTransport transport;

    @Activate
    public AuthFilter(BundleContext context, Config config) {
        this(tokenOf(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "hub",
                "api-token"), config), new AuthLimiter(10, Duration.ofMinutes(1), Clock.systemUTC()));
    }

    AuthFilter(ApiToken token, AuthLimiter failures) {
        this.token = token;
        this.failures = failures;
        if (token.problem() != null) {
            LOG.error("REST API and dashboard: every call is refused (503) because {}. Set 'token' in etc/{}.cfg to a"
                    + " random value of at least {} characters (e.g. from 'openssl rand -base64 32'), or leave it"
                    + " empty and delete the token file so that the hub makes a new one at its next start",
                    token.problem(), PID, ApiToken.MIN_LENGTH);
        }
    }

    /** @return the configured token, or the one in the file (made there if there is none) */
    static ApiToken tokenOf(Path file, Config config) {
        if (!config.token().isEmpty()) {
            return ApiToken.of(config.token(), "etc/" + PID + ".cfg (token)");
        }
        try {
            String t = TokenFile.readOrCreate(file);
            LOG.info("REST API and dashboard: /api and /dashboard/ on the HTTP port (etc/org.apache.felix.http.cfg);"
                    + " the API token is in {}", file);
            return ApiToken.of(t, file.toString());
        } catch (IOException e) {
            return ApiToken.unusable("the REST API token file " + file + " cannot be read or written (" + e + ")");
        }
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

    /** Lets the call through, or throws the 503, 429 or 401 it gets. */
    void check(String method, String path, String address, String authorization) {
        if (path.equals("/openapi.json") && method.equals("GET")) {
            return;
        }
        if (token.problem() != null) {
            throw new ApiException(503, "the hub's REST API has no usable token; the hub's log"
                    + " (data/log/karaf.log) says how to set one", null);
        }
        if (token.matches(bearer(authorization))) {
            return;
        }
        if (authorization != null) {
            // Only wrong tokens count, and only they wait: the right token from the same address always passes.
            long wait = (failures.blocked(address).toMillis() + 999) / 1000;
            if (wait > 0) {
                throw new ApiException(429, "too many calls with a wrong token from " + address + "; try again in "
                        + wait + " s", null, Map.of("Retry-After", Long.toString(wait)));
            }
            failures.failed(address);
            LOG.warn("REST API: {} {} from {} with a wrong token", method, path, address);
        }
        throw new ApiException(401, "give the API token as 'Authorization: Bearer <token>' (it is in"
                + " data/outpost/hub/api-token on the hub, or etc/" + PID + ".cfg)", null,
                Map.of("WWW-Authenticate", "Bearer realm=\"outpost-hub\""));
    }

    private static String bearer(String h) {
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).strip();
    }
}
