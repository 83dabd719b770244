/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import java.util.Map;

/**
 * The headers every answer of the dashboard and the API carries: no other site may frame them (clickjacking the
 * dashboard's Delete), no browser guesses a type other than the one given, and no address leaves as a referrer.
 */
public final class SecurityHeaders {

    /** For the API: JSON only, nothing to load, never framed. */
    public static final Map<String, String> API = Map.of("X-Frame-Options", "DENY", "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'", "X-Content-Type-Options", "nosniff", "Referrer-Policy",
            "no-referrer");

    /** For the dashboard: its own files and its own API only, never framed. */
    public static final Map<String, String> DASHBOARD = Map.of("X-Frame-Options", "DENY", "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer");

    private SecurityHeaders() {
    }
}
