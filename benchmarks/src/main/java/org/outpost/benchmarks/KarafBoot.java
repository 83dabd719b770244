/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One Karaf instance (the gateway or bare Karaf) started with {@code bin/karaf server} and timed from the moment the
 * process is started: when its SSH server answers with its banner (the shell is reachable, the point bare Karaf and
 * the gateway share), and whatever the caller adds as readiness. Stopped as an operator stops it (SIGTERM to the JVM,
 * by process id) so that the next start is a warm one, with {@code data/} as this one left it.
 */
final class KarafBoot {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private final Path home;
    private final int sshPort;
    private Process process;
    private long startNanos;
    private long startEpochMillis;

    KarafBoot(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    Path home() {
        return home;
    }

    /** Unpacks a Karaf archive (zip or tar.gz) into {@code dir} and returns the directory holding {@code bin/}. */
    static Path unpack(Path archive, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> command = archive.toString().endsWith(".zip")
                ? List.of("unzip", "-q", archive.toAbsolutePath().toString())
                : List.of("tar", "xzf", archive.toAbsolutePath().toString());
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " in " + dir + " failed: " + out);
        }
        try (var entries = Files.list(dir)) {
            return entries.filter(e -> Files.isDirectory(e.resolve("bin"))).findFirst()
                    .orElseThrow(() -> new IOException(archive + " holds no Karaf distribution"));
        }
    }

    /** Replaces {@code key = value} lines of {@code etc/<file>} (or appends them), keeping every other line. */
    static void setProperties(Path home, String file, Map<String, String> properties) throws IOException {
        Path cfg = home.resolve("etc").resolve(file);
        List<String> lines = Files.exists(cfg) ? Files.readAllLines(cfg) : List.of();
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            int eq = line.indexOf('=');
            String key = eq < 0 || line.stripLeading().startsWith("#") ? null : line.substring(0, eq).strip();
            if (key == null || !properties.containsKey(key)) {
                out.append(line).append('\n');
            }
        }
        properties.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(cfg, out);
    }

    /** Starts {@code bin/karaf server} (console output to {@code console.log}) and takes the time. */
    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        startEpochMillis = System.currentTimeMillis();
        startNanos = System.nanoTime();
        process = pb.start();
    }

    /** @return milliseconds since {@link #start()} */
    double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** @return milliseconds from {@link #start()} to {@code nanos} (a {@link System#nanoTime()} reading) */
    double millisAt(long nanos) {
        return (nanos - startNanos) / 1e6;
    }

    long startEpochMillis() {
        return startEpochMillis;
    }

    /** @return milliseconds from the start until the SSH server sent its banner (polled every 10 ms) */
    double awaitSsh(long timeoutMillis) throws InterruptedException {
        return await(this::sshAnswers, timeoutMillis, "the SSH server on port " + sshPort);
    }

    /** @return milliseconds from the start until {@code ready} held (polled every 5 ms) */
    double await(BooleanSupplier ready, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return elapsedMillis();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(home + " ended before " + what + " was ready; see "
                        + home.resolve("console.log") + " and data/log/karaf.log");
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(what + " was not ready within " + timeoutMillis + " ms; see "
                + home.resolve("data/log/karaf.log"));
    }

    private boolean sshAnswers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", sshPort), 100);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] banner = new byte[4];
            int n = in.readNBytes(banner, 0, 4);
            return n == 4 && new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the Karaf JVM (the child of the {@code bin/karaf} script) */
    Optional<ProcessHandle> jvm() {
        return process == null ? Optional.empty()
                : process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                        .findFirst();
    }

    /** @return CPU seconds (user + system) the JVM has used so far, or NaN if it cannot be read */
    double cpuSeconds() {
        return jvm().map(j -> {
            try {
                String stat = Files.readString(Path.of("/proc/" + j.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }).orElse(Double.NaN);
    }

    /**
     * The first time each of {@code marks} appears in {@code data/log/karaf.log}, as milliseconds since the start
     * (from the log's own timestamps, this machine's clock). Marks not found are left out.
     */
    Map<String, Double> milestones(Map<String, String> marks) throws IOException {
        Map<String, Double> found = new LinkedHashMap<>();
        Path log = home.resolve("data/log/karaf.log");
        if (!Files.exists(log)) {
            return found;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.length() < 23 || line.charAt(4) != '-' || line.charAt(10) != 'T') {
                continue;
            }
            for (Map.Entry<String, String> mark : marks.entrySet()) {
                if (!found.containsKey(mark.getKey()) && line.contains(mark.getValue())) {
                    long at = LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault())
                            .toInstant().toEpochMilli();
                    found.put(mark.getKey(), (double) (at - startEpochMillis));
                }
            }
        }
        return found;
    }

    /** Moves the log aside, so that the next start's milestones are its own. */
    void rotateLog(String suffix) throws IOException {
        Path log = home.resolve("data/log/karaf.log");
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling("karaf.log." + suffix));
        }
    }

    /** Stops the instance as an operator would (SIGTERM to its JVM, by process id) and waits for it to end. */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        Optional<ProcessHandle> java = jvm();
        java.ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((process.isAlive() || java.map(ProcessHandle::isAlive).orElse(false)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        java.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        kill();
    }

    /** Kills what is left of the instance with SIGKILL, by process id. */
    void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process = null;
    }
}
