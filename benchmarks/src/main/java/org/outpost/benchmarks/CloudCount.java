/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what arrives at the cloud broker, by kind: a {@code mosquitto_sub} printing each payload on a line. */
final class CloudCount implements AutoCloseable {

    private final Process process;
    final AtomicLong summaries = new AtomicLong();
    final AtomicLong alerts = new AtomicLong();
    final AtomicLong other = new AtomicLong();

    CloudCount(int port) throws IOException {
        process = new ProcessBuilder(List.of("mosquitto_sub", "-V", "mqttv311", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", "#", "-q", "1", "-i", "outpost-analytics-demo-cloud"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(this::read, "cloud-count");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains("\"window\":")) {
                    summaries.incrementAndGet();
                } else if (line.contains("\"detector\":")) {
                    alerts.incrementAndGet();
                } else {
                    other.incrementAndGet();
                }
            }
        } catch (IOException e) {
            System.err.println("cloud-count: " + e);
        }
    }

    long total() {
        return summaries.get() + alerts.get() + other.get();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
