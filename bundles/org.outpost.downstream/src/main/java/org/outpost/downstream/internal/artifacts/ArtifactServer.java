/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.outpost.commons.DaemonThreads;
import org.outpost.protocol.AuthLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS endpoint: {@code GET /artifacts/<repository path>} (and {@code HEAD}) for authorized child gateways, one
 * request per connection, on a small pool of threads (a connection beyond the pool and its queue is closed at once).
 * TLS is the gateway's server certificate; {@link #reloadTls} takes a renewed one for new connections.
 */
final class ArtifactServer implements AutoCloseable {

    static final String PREFIX = "/artifacts/";
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactServer.class);
    private static final int MAX_HEAD_BYTES = 8 * 1024;

    private final ArtifactSettings settings;
    private final ArtifactStore store;
    private final ChildAuthorization authorization;
    private final AuthLimiter limiter;
    private final ServerSocket server;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private volatile SSLContext tls;

    /** Listens on the configured host and port at once. */
    ArtifactServer(ArtifactSettings settings, SSLContext tls, ArtifactStore store, ChildAuthorization authorization,
            Clock clock) throws IOException {
        this.settings = settings;
        this.tls = tls;
        this.store = store;
        this.authorization = authorization;
        this.limiter = new AuthLimiter(settings.authMaxFailuresPerMinute(), Duration.ofMinutes(1), clock);
        this.server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 50);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "): change port in etc/" + ArtifactSettings.PID + ".cfg", e);
        }
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.threads() * 4), DaemonThreads.named("outpost-artifacts"));
        pool.allowCoreThreadTimeOut(true);
        this.acceptor = DaemonThreads.named("outpost-artifacts-accept").newThread(this::accept);
        acceptor.start();
    }

    /** @return the port it listens on */
    int port() {
        return server.getLocalPort();
    }

    /** Serves new connections with another certificate (the renewed one). */
    void reloadTls(SSLContext next) {
        this.tls = next;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("Artifacts: accepting a connection failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                pool.execute(() -> serve(s));
            } catch (RejectedExecutionException busy) {
                LOG.debug("Artifacts: busy, closed a connection from {}", s.getInetAddress().getHostAddress());
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket plain) {
        String address = plain.getInetAddress().getHostAddress();
        try (Socket s = wrap(plain)) {
            s.setSoTimeout((int) settings.readTimeout().toMillis());
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Optional<Request> request = Request.read(in);
            if (request.isEmpty()) {
                respond(out, 400, "a request line and headers of at most 8 KB", false);
                return;
            }
            handle(request.get(), address, out);
        } catch (IOException e) {
            LOG.debug("Artifacts: connection from {} ended: {}", address, e.getMessage());
        }
    }

    private Socket wrap(Socket plain) throws IOException {
        try {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            s.setUseClientMode(false);
            return s;
        } catch (IOException e) {
            closeQuietly(plain);
            throw e;
        }
    }

    private void handle(Request r, String address, OutputStream out) throws IOException {
        boolean head = r.method().equals("HEAD");
        if (!head && !r.method().equals("GET")) {
            respond(out, 405, "only GET and HEAD", false);
            return;
        }
        String target = r.target();
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        if (!rawPath.startsWith(PREFIX)) {
            respond(out, 404, "artifacts are under " + PREFIX, head);
            return;
        }
        Duration wait = limiter.blocked(address);
        if (!wait.isZero()) {
            respond(out, 429, "too many failed authentications from " + address + "; try again in "
                    + Math.max(1, wait.toSeconds()) + " s", head);
            return;
        }
        ChildAuthorization.Decision who = authorization.check(r.headers().get("authorization"));
        if (!who.accepted()) {
            limiter.failed(address);
            LOG.info("Artifacts: refused {} from {}{}: {}", shorten(rawPath), address, who.deviceId() == null ? ""
                    : " (" + who.deviceId() + ")", who.refusal());
            respond(out, 401, who.refusal(), head, "WWW-Authenticate: Basic realm=\"outpost artifacts\"");
            return;
        }
        Optional<String> decoded = percentDecoded(rawPath.substring(PREFIX.length()));
        ArtifactPath.Result parsed = decoded.map(ArtifactPath::parse).orElse(ArtifactPath.Result.refused(
                "the path is not correctly %-encoded UTF-8"));
        if (parsed.path().isEmpty()) {
            LOG.info("Artifacts: refused a path from {} ({}): {}", who.deviceId(), address, parsed.refusal());
            respond(out, 400, parsed.refusal(), head);
            return;
        }
        ArtifactPath path = parsed.path().get();
        Optional<ArtifactStore.Found> found = store.find(path);
        if (found.isEmpty()) {
            LOG.debug("Artifacts: {} asked for {}, which is not here", who.deviceId(), path.relative());
            respond(out, 404, path.relative() + " is not in this gateway's repositories", head);
            return;
        }
        ArtifactStore.Found f = found.get();
        long length = f.length();
        String header = "HTTP/1.1 200 OK\r\nContent-Type: " + contentType(path) + "\r\nContent-Length: " + length
                + "\r\nConnection: close\r\n\r\n";
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            try (InputStream body = f.open()) {
                body.transferTo(out);
            }
        }
        out.flush();
        LOG.debug("Artifacts: sent {} ({} bytes, {}) to {}", path.relative(), length, f.source(), who.deviceId());
    }

    private static String contentType(ArtifactPath p) {
        if (p.checksum() != null) {
            return "text/plain";
        }
        return p.isMetadata() || "xml".equals(p.extension()) || "pom".equals(p.extension()) ? "application/xml"
                : "application/octet-stream";
    }

    private static void respond(OutputStream out, int status, String why, boolean head, String... headers)
            throws IOException {
        byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                .append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ").append(body.length)
                .append("\r\nConnection: close\r\n");
        for (String extra : headers) {
            h.append(extra).append("\r\n");
        }
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            default -> "OK";
        };
    }

    /** Decodes %XX (only: a '+' stays a '+', as in versions like 1.0+build), or empty if malformed. */
    static Optional<String> percentDecoded(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x7F) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
    }

    private static String shorten(String s) {
        String p = s.replaceAll("[^\\x20-\\x7E]", "?");
        return p.length() <= 120 ? p : p.substring(0, 120) + "...";
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("Closing a connection: {}", e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
        try {
            acceptor.join(5000);
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request's first line and headers (names in lower case). */
    record Request(String method, String target, Map<String, String> headers) {
        static Optional<Request> read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
                    return Optional.empty();
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1
                        || matched == 3)) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] first = lines[0].split(" ");
            if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
                return Optional.empty();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip());
                }
            }
            return Optional.of(new Request(first[0], first[1], headers));
        }
    }
}
