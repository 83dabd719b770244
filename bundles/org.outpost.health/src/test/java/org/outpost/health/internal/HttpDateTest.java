/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.CheckResult.Level;

/** The clock against an HTTP server's Date header (the hub's REST API), on a real socket. */
class HttpDateTest {

    private ServerSocket server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one request with a Date header {@code skew} ahead of now, or none if {@code date} is false. */
    private String serve(Duration skew, boolean date) throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // the request's headers
                }
                String header = date ? "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plus(skew)
                        .atOffset(ZoneOffset.UTC)) + "\r\n" : "";
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\n" + header + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        t.setDaemon(true);
        t.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/api/openapi.json";
    }

    @Test
    void theOffsetIsTheServersDateToTheSecond() throws Exception {
        Duration offset = HttpDate.offset(serve(Duration.ofSeconds(-120), true), Duration.ofSeconds(3),
                Clock.systemUTC());

        assertThat(offset.toMillis()).isBetween(-121_000L, -119_000L);
    }

    @Test
    void withoutAnNtpServerTheClockIsComparedWithTheHubsDateHeader() throws Exception {
        String url = serve(Duration.ofSeconds(120), true);
        CheckResult r = new ClockCheck("", url, Duration.ofSeconds(10), Duration.ofSeconds(300), Clock.systemUTC())
                .run();

        assertThat(r.level()).isEqualTo(Level.WARN);
        assertThat(r.detail()).matches("the clock is 1[12][0-9]\\.[0-9]{3} s behind " + url.replace(".", "\\.")
                + " \\(its Date header, to the second\\)");
    }

    @Test
    void aServerWithoutADateHeaderIsAWarningSayingSo() throws Exception {
        String url = serve(Duration.ZERO, false);
        CheckResult r = new ClockCheck("", url, Duration.ofSeconds(10), Duration.ofSeconds(300), Clock.systemUTC())
                .run();

        assertThat(r.level()).isEqualTo(Level.WARN);
        assertThat(r.detail()).startsWith("cannot ask " + url + " for the time").contains("without a Date header");
        assertThat(r.action()).contains("clock.http.url");
    }
}
