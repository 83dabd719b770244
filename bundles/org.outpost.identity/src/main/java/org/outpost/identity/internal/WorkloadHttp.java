/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 as the workload API speaks it over a unix socket: requests read from the bytes a connection delivers,
 * however they are split ({@link Reader}), bodies by {@code Content-Length} or {@code Transfer-Encoding: chunked};
 * answers are JSON with {@code Content-Type} and {@code Content-Length}.
 * <p>
 * The reason phrase of a status line is one word ({@code 404 NotFound}): the Azure IoT Java SDK splits the status
 * line at spaces and refuses any but three parts, so {@code 404 Not Found} would hide the answer's message from it.
 * HTTP lets clients ignore the phrase; every other client does.
 */
final class WorkloadHttp {

    /** The longest request line and headers taken. */
    static final int MAX_HEAD_BYTES = 8 * 1024;

    /** The largest request body taken. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private WorkloadHttp() {
    }

    /**
     * A request.
     *
     * @param path the path, its segments percent-decoded
     * @param query the query's parameters, decoded
     * @param headers by lower-case name
     * @param keepAlive whether the client keeps the connection for another request
     */
    record Request(String method, List<String> path, Map<String, String> query, Map<String, String> headers,
            byte[] body, boolean keepAlive) {
    }

    /** An answer: a status and its JSON body. */
    record Response(int status, String json) {

        /** @return the answer as sent, saying whether the connection stays open */
        byte[] bytes(boolean keepAlive) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }
    }

    /** A request that cannot be read: answered with its status and message, then the connection is closed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 413 -> "PayloadTooLarge";
            case 431 -> "RequestHeaderFieldsTooLarge";
            case 500 -> "InternalServerError";
            case 501 -> "NotImplemented";
            case 503 -> "ServiceUnavailable";
            default -> "Status" + status;
        };
    }

    /** Reads the requests of one connection from the bytes it delivers. Not thread-safe: one per connection. */
    static final class Reader {
        /** Head, body and chunk framing of one request at most. */
        private static final int MAX_BUFFERED = MAX_HEAD_BYTES + 2 * MAX_BODY_BYTES;

        private byte[] buf = new byte[1024];
        private int len;

        /** Takes bytes the connection delivered. */
        void feed(ByteBuffer bytes) throws Refused {
            int n = bytes.remaining();
            if (len + n > MAX_BUFFERED) {
                throw new Refused(413, "the request is larger than " + MAX_BODY_BYTES + " bytes of body allow");
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
            }
            bytes.get(buf, len, n);
            len += n;
        }

        /** @return whether part of a request has arrived and not yet all of it */
        boolean hasPartial() {
            return len > 0;
        }

        /** @return the next whole request, or null until more bytes have arrived */
        Request next() throws Refused {
            int blank = 0;
            while (blank < len && (buf[blank] == '\r' || buf[blank] == '\n')) {
                blank++; // empty lines before a request line are ignored (RFC 9112, 2.2)
            }
            System.arraycopy(buf, blank, buf, 0, len - blank);
            len -= blank;
            int headEnd = headEnd();
            if (headEnd < 0) {
                if (len > MAX_HEAD_BYTES) {
                    throw new Refused(431, "the request line and headers are longer than " + MAX_HEAD_BYTES
                            + " bytes");
                }
                return null;
            }
            String[] lines = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r?\n");
            String[] start = lines[0].split(" ");
            if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
                throw new Refused(400, "malformed request line '" + printable(lines[0])
                        + "': expected METHOD /path HTTP/1.1");
            }
            Map<String, String> headers = headers(lines);
            int bodyStart = bodyStart(headEnd);
            byte[] body;
            int end;
            String te = headers.get("transfer-encoding");
            if (te != null) {
                if (headers.containsKey("content-length")) {
                    throw new Refused(400, "both Transfer-Encoding and Content-Length were sent; send one");
                }
                if (!te.trim().equalsIgnoreCase("chunked")) {
                    throw new Refused(501, "Transfer-Encoding '" + printable(te) + "' is not supported; send"
                            + " chunked or Content-Length");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                end = decodeChunked(buf, bodyStart, len, out);
                if (end < 0) {
                    return null;
                }
                body = out.toByteArray();
            } else {
                int length = contentLength(headers.get("content-length"));
                if (len - bodyStart < length) {
                    return null;
                }
                body = Arrays.copyOfRange(buf, bodyStart, bodyStart + length);
                end = bodyStart + length;
            }
            System.arraycopy(buf, end, buf, 0, len - end);
            len -= end;
            boolean http10 = start[2].equals("HTTP/1.0");
            String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
            String target = start[1];
            int q = target.indexOf('?');
            return new Request(start[0], path(q < 0 ? target : target.substring(0, q)),
                    query(q < 0 ? "" : target.substring(q + 1)), headers, body, keepAlive);
        }

        private int headEnd() {
            for (int i = 0; i + 1 < len; i++) {
                if (buf[i] == '\n' && (buf[i + 1] == '\n' || (buf[i + 1] == '\r' && i + 2 < len
                        && buf[i + 2] == '\n'))) {
                    return i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
                }
            }
            return -1;
        }

        private int bodyStart(int headEnd) {
            int i = headEnd;
            for (int newlines = 0; newlines < 2; i++) {
                if (buf[i] == '\n') {
                    newlines++;
                }
            }
            return i;
        }
    }

    private static Map<String, String> headers(String[] lines) throws Refused {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new Refused(400, "malformed header line " + i + " '" + printable(lines[i])
                        + "': expected Name: value");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            String before = headers.put(name, value);
            if (before != null && name.equals("content-length") && !before.equals(value)) {
                throw new Refused(400, "two different Content-Length headers were sent");
            }
        }
        return headers;
    }

    /**
     * Decodes a chunked body that starts at {@code from}.
     *
     * @return the index after the body's last chunk and trailers, or -1 if it has not all arrived
     */
    static int decodeChunked(byte[] buf, int from, int len, ByteArrayOutputStream out) throws Refused {
        int i = from;
        while (true) {
            int eol = lineEnd(buf, i, len);
            if (eol < 0) {
                return -1;
            }
            String sizeLine = new String(buf, i, eol - i, StandardCharsets.ISO_8859_1).trim();
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new Refused(400, "malformed chunk size '" + printable(hex) + "': expected hex digits");
            }
            if (size < 0 || out.size() + (long) size > MAX_BODY_BYTES) {
                throw new Refused(413, "the chunked body is larger than the " + MAX_BODY_BYTES + " bytes allowed");
            }
            i = eol + 1;
            if (size == 0) {
                while (true) { // trailers, up to an empty line
                    int end = lineEnd(buf, i, len);
                    if (end < 0) {
                        return -1;
                    }
                    boolean empty = end == i || (end == i + 1 && buf[i] == '\r');
                    i = end + 1;
                    if (empty) {
                        return i;
                    }
                }
            }
            if (len - i < size + 1) {
                return -1;
            }
            out.write(buf, i, size);
            i += size;
            if (buf[i] == '\r') {
                i++;
                if (i >= len) {
                    return -1;
                }
            }
            if (buf[i] != '\n') {
                throw new Refused(400, "a chunk of " + size + " bytes is not followed by CRLF");
            }
            i++;
        }
    }

    private static int lineEnd(byte[] buf, int from, int len) {
        for (int i = from; i < len; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String value) throws Refused {
        if (value == null) {
            return 0;
        }
        long length;
        try {
            length = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Refused(400, "Content-Length '" + printable(value) + "' is not a number");
        }
        if (length < 0) {
            throw new Refused(400, "Content-Length " + length + " is negative");
        }
        if (length > MAX_BODY_BYTES) {
            throw new Refused(413, "the body of " + length + " bytes is larger than the " + MAX_BODY_BYTES
                    + " allowed");
        }
        return (int) length;
    }

    private static List<String> path(String raw) throws Refused {
        if (!raw.startsWith("/")) {
            throw new Refused(400, "the request target '" + printable(raw) + "' is not a path starting with /");
        }
        String[] segments = raw.substring(1).split("/", -1);
        String[] decoded = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            decoded[i] = decode(segments[i].replace("+", "%2B"));
        }
        return List.of(decoded);
    }

    private static Map<String, String> query(String raw) throws Refused {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq
                        + 1)));
            }
        }
        return query;
    }

    private static String decode(String s) throws Refused {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "'" + printable(s) + "' is not percent-encoded correctly");
        }
    }

    /** @return the text cut short and without control characters, to quote in a message */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
