/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what arrives at the cloud: a {@code mosquitto_sub} process (so its CPU is not the harness's) prints each
 * payload on a line; each carries {@code "sentAt": <epoch microseconds>} from its sender, so the latency is the
 * arrival time minus that. A measurement window collects the arrivals between its start and its end.
 */
final class Arrivals implements AutoCloseable {

    /** What one window saw. */
    record Window(long messages, double seconds, long[] latenciesMicros) {
        double rate() {
            return messages / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latenciesMicros.length - 1, Math.ceil(p * latenciesMicros.length) - 1);
            return latenciesMicros[Math.max(0, i)] / 1000.0;
        }
    }

    private final Process process;
    private final Thread reader;
    private volatile long lastArrivalMicros;
    private long total;
    private long windowStart = Long.MAX_VALUE;
    private long windowEnd = Long.MAX_VALUE;
    private long windowCount;
    private long[] latencies = new long[1 << 16];

    Arrivals(int port, String topic) throws IOException {
        this(port, topic, List.of("-i", "outpost-benchmark-cloud"));
    }

    /** @param client the client's options for {@code mosquitto_sub}: {@code -i <id>}, and any user name or password */
    Arrivals(int port, String topic, List<String> client) throws IOException {
        List<String> command = new ArrayList<>(List.of("mosquitto_sub", "-V", "mqttv311", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-t", topic, "-q", "1"));
        command.addAll(client);
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        reader = new Thread(this::read, "arrivals");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8), 1 << 20)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                int at = line.indexOf("\"sentAt\":");
                if (at < 0) {
                    continue;
                }
                int end = line.indexOf(',', at);
                long sentAt = Long.parseLong(line.substring(at + 9, end));
                arrived(now, now - sentAt);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("arrivals: " + e);
        }
    }

    private synchronized void arrived(long nowMicros, long latencyMicros) {
        lastArrivalMicros = nowMicros;
        total++;
        if (nowMicros >= windowStart && nowMicros < windowEnd) {
            if (windowCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[(int) windowCount++] = latencyMicros;
        }
    }

    synchronized long total() {
        return total;
    }

    long lastArrivalMicros() {
        return lastArrivalMicros;
    }

    /** Measures from now for {@code seconds}. */
    Window measure(double seconds) throws InterruptedException {
        long start = nowMicros();
        long end = start + (long) (seconds * 1_000_000);
        synchronized (this) {
            windowStart = start;
            windowEnd = end;
            windowCount = 0;
        }
        Thread.sleep((end - start) / 1000 + 1);
        synchronized (this) {
            long[] l = Arrays.copyOf(latencies, (int) windowCount);
            Arrays.sort(l);
            windowStart = Long.MAX_VALUE;
            return new Window(windowCount, seconds, l);
        }
    }

    /** Waits until nothing has arrived for {@code quietMillis}. */
    void awaitQuiet(long quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (nowMicros() - lastArrivalMicros > quietMillis * 1000) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("messages kept arriving for " + timeoutMillis + " ms");
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
