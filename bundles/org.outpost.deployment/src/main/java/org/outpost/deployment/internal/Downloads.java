/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches what a deployment names over HTTP (bundle modules and feature repositories at {@code https:}, or
 * {@code http:} where allowed) with a connect and a read timeout, so that a repository that does not answer fails the
 * deployment (which is rolled back) instead of holding it forever. The whole download lands in a file first, so that a
 * timeout is reported here, saying which location, which timeout and what to do, and never halfway through an
 * install. {@code mvn:} locations are fetched by pax-url with the timeouts of {@code etc/org.ops4j.pax.url.mvn.cfg};
 * {@code file:} needs none.
 */
final class Downloads {

    private final Path directory;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param directory where downloads are kept until they are installed
     */
    Downloads(Path directory, Duration connectTimeout, Duration readTimeout) {
        this.directory = directory;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** @return the timeouts of the deployment configuration ({@code download.*.timeout.seconds}, at least 1 s) */
    static Downloads of(Path directory, DeploymentConfig config) {
        return new Downloads(directory, Duration.ofSeconds(Math.max(1, config.download_connect_timeout_seconds())),
                Duration.ofSeconds(Math.max(1, config.download_read_timeout_seconds())));
    }

    /** @return whether this fetches {@code location} (an http or https URL), rather than the framework */
    static boolean fetches(String location) {
        String l = location.toLowerCase(Locale.ROOT);
        return l.startsWith("https:") || l.startsWith("http:");
    }

    /**
     * Downloads a location into a file of its own, which the caller deletes.
     *
     * @throws IOException saying which location failed how, with the timeout it exceeded and what to do
     */
    Path fetch(String location) throws IOException {
        Files.createDirectories(directory);
        Path file = Files.createTempFile(directory, "download-", ".part");
        try {
            URLConnection c = URI.create(location).toURL().openConnection();
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            c.setUseCaches(false);
            try {
                c.connect();
            } catch (SocketTimeoutException e) {
                throw timedOut(location, "could not connect within " + connectTimeout.toSeconds() + " s",
                        "download.connect.timeout.seconds");
            }
            try {
                if (c instanceof HttpURLConnection http && http.getResponseCode() != HttpURLConnection.HTTP_OK) {
                    throw new IOException("downloading " + location + " failed: the server answered "
                            + http.getResponseCode() + " " + http.getResponseMessage() + "; check the location");
                }
                try (InputStream in = c.getInputStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (SocketTimeoutException e) {
                throw timedOut(location, "the server sent nothing for " + readTimeout.toSeconds() + " s",
                        "download.read.timeout.seconds");
            }
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            if (e instanceof IllegalArgumentException) {
                throw new IOException("cannot download " + location + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static IOException timedOut(String location, String what, String setting) {
        return new IOException("downloading " + location + " timed out: " + what + " (" + setting + " in"
                + " etc/org.outpost.deployment.cfg); check that the repository is reachable from the gateway and"
                + " answers, then deploy again, or raise " + setting + " for a slow link");
    }
}
