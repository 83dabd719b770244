/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Counters of the gateway's Prometheus endpoint, summed over the samples whose labels match. */
final class GatewayMetrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final int port;
    private String text = "";

    GatewayMetrics(int port) {
        this.port = port;
    }

    /** Scrapes the endpoint once; {@link #sum} reads this scrape. */
    GatewayMetrics scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /metrics on port " + port + " answered " + r.statusCode());
        }
        text = r.body();
        return this;
    }

    /**
     * @param name the sample name, such as {@code edgehub_messages_received_total}
     * @param labels label names and values that a sample must all have ({@code "id", "window-stats"})
     * @return the sum of the matching samples' values in the last scrape
     */
    double sum(String name, String... labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = line.substring(name.length(), close + 1);
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                if (!labelText.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                total += Double.parseDouble(line.substring(close + 1).strip().split(" ")[0]);
            }
        }
        return total;
    }
}
