/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.outpost.camel.modules.deploy.RouteJar;
import org.outpost.manifest.CamelRoutes;
import org.outpost.manifest.ModuleSpec;

/**
 * Reads a {@code camel} module's route files: the inline text, or each location ({@code file:} from the disk,
 * {@code http(s):} with timeouts, {@code mvn:} through the framework's Maven URL handler), each named inside the
 * bundle after its location.
 */
class RouteSources {

    /** The largest route file taken. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** Redirects are not followed: the deployment's location policy checked the location given, not another. */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @return the module's route files, in order
     * @throws SourceException naming the location (its index) that cannot be read, and why
     */
    List<RouteJar.RouteFile> read(ModuleSpec spec) throws SourceException {
        CamelRoutes routes = spec.camel();
        if (routes.inline() != null) {
            return List.of(new RouteJar.RouteFile(spec.name() + ".camel." + routes.format(), routes.inline()
                    .getBytes(StandardCharsets.UTF_8)));
        }
        List<RouteJar.RouteFile> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < routes.locations().size(); i++) {
            String location = routes.locations().get(i);
            byte[] content;
            try {
                content = fetch(location);
            } catch (IOException | RuntimeException e) {
                throw new SourceException(i, "route file " + location + " cannot be read: " + (e.getMessage() == null
                        ? e.toString() : e.getMessage()));
            }
            String name = fileName(location, routes.formatOf(location));
            if (!names.add(name)) {
                name = i + "-" + name;
                names.add(name);
            }
            out.add(new RouteJar.RouteFile(name, content));
        }
        return out;
    }

    /** @return the content at a location, at most {@link #MAX_BYTES} */
    byte[] fetch(String location) throws IOException {
        String scheme = location.substring(0, Math.max(0, location.indexOf(':'))).toLowerCase(Locale.ROOT);
        byte[] content;
        if (scheme.equals("file")) {
            try (InputStream in = Files.newInputStream(Path.of(URI.create(location)))) {
                content = in.readNBytes(MAX_BYTES + 1);
            }
        } else if (scheme.equals("http") || scheme.equals("https")) {
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(location)).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            try (InputStream in = response.body()) {
                int status = response.statusCode();
                if (status >= 300 && status < 400) {
                    throw new IOException("HTTP " + status + ": redirected to "
                            + response.headers().firstValue("Location").orElse("(no Location)")
                            + "; redirects are not followed: give that location in the deployment");
                }
                if (status != 200) {
                    throw new IOException("HTTP " + status);
                }
                content = in.readNBytes(MAX_BYTES + 1);
            }
        } else {
            try (InputStream in = new URL(location).openStream()) {
                content = in.readNBytes(MAX_BYTES + 1);
            }
        }
        if (content.length > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES / (1024 * 1024) + " MiB: not a route file");
        }
        return content;
    }

    /**
     * @return the route file's name inside the bundle: the location's last part ({@code reader.camel.yaml}; a Maven
     *         location's artifact and classifier), ending in {@code .yaml} or {@code .xml}
     */
    static String fileName(String location, String format) {
        String base;
        if (location.startsWith("mvn:")) {
            String[] parts = location.substring(4).split("/");
            base = parts.length >= 2 ? parts[1] + (parts.length >= 5 ? "-" + parts[4] : "") : "routes";
        } else {
            String path = location.replaceAll("[?#].*$", "");
            base = path.substring(path.lastIndexOf('/') + 1);
        }
        base = base.replaceAll("[^A-Za-z0-9_.-]", "-");
        if (base.isEmpty() || base.startsWith(".")) {
            base = "routes" + base;
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".xml")) {
            int dot = base.lastIndexOf('.');
            return base.substring(0, dot) + lower.substring(dot);
        }
        return base + ".camel." + format;
    }

    /** A route file that cannot be read. */
    static final class SourceException extends Exception {

        private static final long serialVersionUID = 1L;

        private final int index;

        SourceException(int index, String message) {
            super(message);
            this.index = index;
        }

        /** @return the index of the location in {@code settings.routes} */
        int index() {
            return index;
        }
    }
}
