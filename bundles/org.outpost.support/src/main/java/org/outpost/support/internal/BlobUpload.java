/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Uploads one blob as Azure Blob storage's Put Blob: {@code PUT <container URL>/<blob name>?<SAS>} with
 * {@code x-ms-blob-type: BlockBlob}, so that the SAS URL of an Azure storage container works as well as the one an
 * Outpost hub hands out. The SAS URL's query (its signature) is never written to a log or an error.
 */
final class BlobUpload {

    /** The storage REST API version named in the request. */
    static final String API_VERSION = "2020-04-08";

    private final HttpClient http;
    private final Duration timeout;

    BlobUpload(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Checks a caller's SAS URL.
     *
     * @return it as a URI
     * @throws IllegalArgumentException if it is not an absolute http(s) URL
     */
    static URI container(String sasUrl) {
        if (sasUrl == null || sasUrl.isBlank()) {
            throw new IllegalArgumentException("sasUrl is missing: give the URL of a blob container with a SAS"
                    + " that may write (https://<account>.blob.core.windows.net/<container>?sv=...&sig=..., or the"
                    + " one the Outpost hub hands out)");
        }
        try {
            URI u = new URI(sasUrl.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
                throw new IllegalArgumentException("sasUrl must be an http:// or https:// URL of a blob container,"
                        + " not '" + shown(u) + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("sasUrl is not a URL: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    /** @return the blob's URL: the container's path, the blob name (each segment encoded), the SAS query */
    static URI blob(URI container, String blobName) {
        StringBuilder path = new StringBuilder(container.getRawPath() == null ? "" : container.getRawPath());
        if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
            path.append('/');
        }
        String[] segments = blobName.split("/");
        for (int i = 0; i < segments.length; i++) {
            path.append(i == 0 ? "" : "/").append(URLEncoder.encode(segments[i], StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        String s = container.getScheme() + "://" + container.getRawAuthority() + path
                + (container.getRawQuery() == null ? "" : "?" + container.getRawQuery());
        return URI.create(s);
    }

    /** @return the URL without its query, for messages: the query holds the signature */
    static String shown(URI u) {
        return u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    /**
     * Puts one blob.
     *
     * @param contentEncoding {@code gzip} or {@code null}
     * @throws IOException saying the blob, the status and the storage's answer, if it is not 2xx
     */
    void put(URI container, String blobName, byte[] body, String contentType, String contentEncoding)
            throws IOException, InterruptedException {
        URI target = blob(container, blobName);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                .header("x-ms-blob-type", "BlockBlob").header("x-ms-version", API_VERSION)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            b.header("x-ms-blob-content-encoding", contentEncoding);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("PUT " + shown(target) + " failed: " + e.getMessage()
                    + " (is the host reachable from the gateway?)", e);
        }
        if (r.statusCode() / 100 != 2) {
            String answer = r.body() == null ? "" : r.body().strip();
            throw new IOException("PUT " + shown(target) + " answered " + r.statusCode() + ": "
                    + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer)
                    + (r.statusCode() == 403 ? " (the SAS has expired, or does not allow writing)" : ""));
        }
    }
}
