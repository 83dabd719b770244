/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.outpost.hub.uploads.Uploads;

class UploadServletTest {

    /** What the servlet answered. */
    private static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private final List<String> kept = new ArrayList<>();

    /** Takes signature "good" for upload "u1", at most 8 bytes. */
    private final Uploads uploads = new Uploads() {
        @Override
        public UploadFile receive(String id, String signature, String name, String contentType, String encoding,
                byte[] body) {
            if (!id.equals("u1") || !"good".equals(signature)) {
                throw new SecurityException("the signature (sig) of upload " + id + " is wrong");
            }
            if (body.length > 8) {
                throw new IllegalArgumentException("the file is " + body.length + " bytes; at most 8 are taken");
            }
            kept.add(name + " " + contentType + " " + encoding + " " + new String(body, StandardCharsets.UTF_8));
            return new UploadFile(1, name, contentType, encoding, body.length, "abc123", Instant.now());
        }

        @Override
        public long maxBytes() {
            return 8;
        }

        @Override
        public Upload request(String deviceId, Kind kind, String optionsJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Upload> list(String deviceId, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Upload> get(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<byte[]> content(String id, long seq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String id) {
            throw new UnsupportedOperationException();
        }
    };

    private Answer put(String pathInfo, String sig, String body, long contentLength) throws Exception {
        Answer a = new Answer();
        ByteArrayInputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        ServletInputStream sin = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> sin;
                    case "getHeader" -> args[0].equals("x-ms-blob-content-encoding") ? "gzip" : null;
                    case "getParameter" -> args[0].equals("sig") ? sig : null;
                    case "getContentType" -> "text/plain";
                    case "getRemoteAddr" -> "127.0.0.1";
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
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> a.status = (int) args[0];
                        case "setHeader" -> a.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> a.headers.put("Content-Type", (String) args[0]);
                        case "setContentLength" -> a.headers.put("Content-Length", String.valueOf(args[0]));
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> throw new AssertionError("unexpected call: " + m.getName());
                    }
                    return null;
                });
        new UploadServlet(uploads).doPut(req, resp);
        return a;
    }

    @Test
    void aSignedPutIsKeptAndAnsweredAsPutBlob() throws Exception {
        Answer a = put("/u1/hub/gw/m-2026.log.gz", "good", "log", 3);
        assertThat(a.status).isEqualTo(201);
        assertThat(a.headers).containsEntry("ETag", "\"abc123\"").containsKey("x-ms-request-id");
        assertThat(kept).containsExactly("hub/gw/m-2026.log.gz text/plain gzip log");
    }

    @Test
    void refusalsAreAzureErrors() throws Exception {
        Answer forged = put("/u1/a.zip", "bad", "zip", 3);
        assertThat(forged.status).isEqualTo(403);
        assertThat(forged.headers).containsEntry("x-ms-error-code", "AuthenticationFailed");
        assertThat(forged.text()).contains("<Code>AuthenticationFailed</Code>", "is wrong");
        Answer big = put("/u1/a.zip", "good", "123456789", 9);
        assertThat(big.status).isEqualTo(413);
        assertThat(big.text()).contains("<Code>RequestBodyTooLarge</Code>", "at most 8");
        Answer chunked = put("/u1/a.zip", "good", "123456789", -1);
        assertThat(chunked.status).isEqualTo(413);
        Answer noName = put("/u1", "good", "x", 1);
        assertThat(noName.status).isEqualTo(400);
        assertThat(noName.text()).contains("<Code>InvalidUri</Code>");
        assertThat(kept).isEmpty();
    }
}
