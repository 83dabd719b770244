/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.EndpointType;
import org.outpost.hub.routing.RejectedException;
import org.outpost.hub.routing.RoutedMessage;

/**
 * The {@code webhook} endpoint type: an HTTP POST per batch (a JSON array of {@linkplain MessageCodec#envelope
 * envelopes}, the default) or per message (the body as sent, properties as headers). 2xx is delivered; 408, 429, 5xx
 * and no answer are retried with back-off; any other status (a 400, 401, 404, 3xx: the request or the endpoint is
 * wrong, and sending it again will not help) rejects: the message goes to the dead letters at once, from where it can
 * be replayed once the receiver is fixed.
 *
 * <p>
 * Settings: {@code url} (http or https, required), {@code batch} (true: JSON array; false: one request per message),
 * {@code timeoutMs} (10000), {@code headers} (a map of headers sent with every request, e.g. Authorization).
 */
@Component(property = EndpointType.TYPE + "=webhook")
public final class WebhookEndpoint implements EndpointType {

    static final Set<String> SETTINGS = Set.of("url", "batch", "timeoutMs", "headers");
    private static final Set<Integer> RETRIED = Set.of(408, 429);

    @Override
    public EndpointSink open(String name, Map<String, Object> settings) {
        for (String k : settings.keySet()) {
            if (!SETTINGS.contains(k)) {
                throw new IllegalArgumentException("settings." + k + ": not a webhook setting (" + SETTINGS + ")");
            }
        }
        Object url = settings.get("url");
        URI uri;
        try {
            uri = url instanceof String s ? URI.create(s) : null;
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme())
                || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("settings.url: an http:// or https:// URL is required, e.g."
                    + " \"https://backend.example/ingest\"");
        }
        Object batch = settings.getOrDefault("batch", true);
        if (!(batch instanceof Boolean)) {
            throw new IllegalArgumentException("settings.batch: true (a JSON array per request) or false (one"
                    + " message per request)");
        }
        Object timeout = settings.getOrDefault("timeoutMs", 10_000);
        if (!(timeout instanceof Number n) || n.longValue() < 1 || n.longValue() > 120_000) {
            throw new IllegalArgumentException("settings.timeoutMs: 1 to 120000 ms");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Object h = settings.getOrDefault("headers", Map.of());
        if (!(h instanceof Map<?, ?> hm)) {
            throw new IllegalArgumentException("settings.headers: a map of header names to values");
        }
        hm.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        return new Sink(uri, (Boolean) batch, Duration.ofMillis(((Number) timeout).longValue()), headers);
    }

    /** @return the URL without its query and user info, for messages (a query may carry a key) */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static final class Sink implements EndpointSink {
        private final URI uri;
        private final boolean batch;
        private final Duration timeout;
        private final Map<String, String> headers;
        private final HttpClient client;

        Sink(URI uri, boolean batch, Duration timeout, Map<String, String> headers) {
            this.uri = uri;
            this.batch = batch;
            this.timeout = timeout;
            this.headers = headers;
            this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }

        @Override
        public void deliver(List<RoutedMessage> messages) throws Exception {
            if (batch) {
                HttpRequest.Builder b = request().header("Content-Type", "application/json")
                        .header("Outpost-Message-Count", Integer.toString(messages.size()))
                        .POST(HttpRequest.BodyPublishers.ofString(MessageCodec.envelopes(messages, true),
                                StandardCharsets.UTF_8));
                send(b.build(), messages.get(0).sequence());
                return;
            }
            for (RoutedMessage m : messages) {
                HttpRequest.Builder b = request();
                var sys = m.message();
                b.header("Content-Type", sys.contentType() == null ? "application/octet-stream"
                        : sys.contentType());
                b.header("Outpost-Sequence", Long.toString(m.sequence()));
                b.header("Outpost-Route", m.route());
                b.header("Outpost-Enqueued-Time", m.enqueuedTime().toString());
                MessageCodec.system(sys).forEach((k, v) -> {
                    if (!k.equals("contentType")) {
                        b.header("Outpost-" + k, encode(v));
                    }
                });
                sys.properties().forEach((k, v) -> b.header("Outpost-Prop-" + encode(k), encode(v == null ? ""
                        : v)));
                send(b.POST(HttpRequest.BodyPublishers.ofByteArray(sys.body())).build(), m.sequence());
            }
        }

        private static String encode(String v) {
            return URLEncoder.encode(v, StandardCharsets.UTF_8);
        }

        private HttpRequest.Builder request() {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
            headers.forEach(b::header);
            return b;
        }

        private void send(HttpRequest request, long firstSequence) throws Exception {
            HttpResponse<java.io.InputStream> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new IOException("webhook " + shown(uri) + " did not answer: " + e, e);
            }
            int code = r.statusCode();
            byte[] start;
            try (java.io.InputStream in = r.body()) {
                // Only the start of an answer is read and kept (it goes into lastError).
                start = in == null ? new byte[0] : in.readNBytes(512);
            } catch (IOException e) {
                start = new byte[0];
            }
            if (code / 100 == 2) {
                return;
            }
            String body = new String(start, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}+", " ")
                    .strip();
            String answer = "webhook " + shown(uri) + " answered " + code + " to message " + firstSequence
                    + (body.isEmpty() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
            if (code >= 500 || RETRIED.contains(code)) {
                throw new IOException(answer);
            }
            throw new RejectedException(answer);
        }

        @Override
        public void close() {
            // HttpClient has no close on Java 17; its threads end with it.
        }
    }
}
