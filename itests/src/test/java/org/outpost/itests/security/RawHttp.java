/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request from a chosen local address of the loopback net (127.x.y.z), which the JDK's HTTP client
 * cannot choose: how a test shows that what one address does is not held against another.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** @return the status code of {@code GET path} on 127.0.0.1:{@code port}, from {@code from}, with a bearer token */
    static int get(int port, String from, String path, String token) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder status = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                status.append((char) c);
            }
            String[] parts = status.toString().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: '" + status + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
