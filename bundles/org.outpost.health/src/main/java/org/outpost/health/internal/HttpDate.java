/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The clock's offset from an HTTP server's {@code Date} header (RFC 9110: the server's time, to the second): the
 * hub's REST API ({@code http(s)://hub:8181/api/openapi.json}, open without a token) when no NTP server can be
 * reached from the gateway. The request's round trip is halved to place the server's second.
 */
final class HttpDate {

    private HttpDate() {
    }

    /** @return how far the server's clock is ahead of the local one (negative: the local clock is ahead), to ±1 s */
    static Duration offset(String url, Duration timeout, Clock clock) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        Instant sent = clock.instant();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + url + " for the time", e);
        }
        Instant received = clock.instant();
        String date = response.headers().firstValue("Date").orElseThrow(() -> new IOException(url + " answered "
                + response.statusCode() + " without a Date header"));
        Instant server;
        try {
            // the server's second began up to 1 s before it wrote the header: its middle is the best guess
            server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().plusMillis(500);
        } catch (DateTimeParseException e) {
            throw new IOException(url + " sent a Date header that is not an HTTP date: " + date, e);
        }
        Instant local = sent.plus(Duration.between(sent, received).dividedBy(2));
        return Duration.between(local, server);
    }
}
