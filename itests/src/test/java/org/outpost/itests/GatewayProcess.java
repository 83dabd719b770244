/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real gateway distribution as a separate process: unpacked from its tar.gz, configured through its
 * {@code etc/*.cfg} files, started with {@code bin/karaf server}, and stopped or killed with SIGKILL by process id.
 * Everything it listens on is a free loopback port.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Path home;
    private Process process;
    private int httpPort = -1;
    private final int metricsPort;

    /**
     * Unpacks the distribution into {@code dir} and points its listeners at free ports.
     *
     * @param distribution the gateway's tar.gz
     */
    public GatewayProcess(Path distribution, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(dir, "tar", "xzf", distribution.toAbsolutePath().toString());
        try (var entries = Files.list(dir)) {
            this.home = entries.filter(p -> Files.isDirectory(p.resolve("bin"))).findFirst()
                    .orElseThrow(() -> new IOException(distribution + " holds no Karaf distribution"));
        }
        config("org.apache.karaf.shell", Map.of("sshPort", Integer.toString(freePort())));
        config("org.outpost.broker", Map.of("core.port", "0", "mqtt.port", "0", "amqp.port", "0"));
        // Integration tests run in two lanes at once (itests/.../lanes): no process may take a well-known port that
        // a test in the other lane needs (IoT Edge's 8883 and 443, which the Azure SDK insists on; the metrics
        // endpoint's 9600). A test that needs one configures it.
        config("org.outpost.edgehub", Map.of("tls.port", Integer.toString(freePort()), "websocket.port",
                Integer.toString(freePort())));
        metricsPort = freePort();
        config("org.outpost.metrics", Map.of("port", Integer.toString(metricsPort)));
        if (Files.exists(home.resolve("etc/org.outpost.hub.iothub.cfg"))) {
            config("org.outpost.hub.iothub", Map.of("port", Integer.toString(freePort()), "tls.port",
                    Integer.toString(freePort())));
        }
        if (Files.exists(home.resolve("etc/org.apache.felix.http.cfg"))) {
            // The hub's REST API and dashboard.
            httpPort = freePort();
            config("org.apache.felix.http", Map.of("org.osgi.service.http.port", Integer.toString(httpPort)));
        }
    }

    /** @return the HTTP port (the hub's REST API and dashboard), or -1 for a distribution without HTTP */
    public int httpPort() {
        return httpPort;
    }

    /** @return the port of the Prometheus endpoint, {@code http://127.0.0.1:<port>/metrics} */
    public int metricsPort() {
        return metricsPort;
    }

    /** @return the distribution's directory */
    public Path home() {
        return home;
    }

    /** Sets properties in {@code etc/<pid>.cfg}, keeping the others. */
    public void config(String pid, Map<String, String> properties) throws IOException {
        Path file = home.resolve("etc").resolve(pid + ".cfg");
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            String key = eq < 0 || line.stripLeading().startsWith("#") ? null : line.substring(0, eq).strip();
            if (key != null && properties.containsKey(key)) {
                continue;
            }
            out.add(line);
        }
        values.putAll(properties);
        values.forEach((k, v) -> out.add(k + " = " + v));
        // Written aside and moved in: fileinstall polls etc/, and a file it reads half-written (truncated, empty)
        // becomes an empty configuration that it saves back over ours.
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(aside, out);
        Files.move(aside, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Replaces the routes file, {@code etc/edgehub.json}, with these routes (name to route). */
    public void routes(Map<String, String> routes) throws IOException {
        StringBuilder json = new StringBuilder("{\"routes\": {");
        routes.forEach((name, route) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ", ").append('"')
                .append(name).append("\": \"").append(route.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        Path aside = home.resolve("etc/.edgehub.json.tmp");
        Files.writeString(aside, json.append("}}").toString());
        Files.move(aside, home.resolve("etc/edgehub.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts {@code bin/karaf server}; its console goes to {@code console.log}. */
    public GatewayProcess start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        process = pb.start();
        return this;
    }

    /** @return the gateway's JVM (the child of the {@code bin/karaf} script), once it runs */
    public Optional<ProcessHandle> jvm() {
        return process == null ? Optional.empty()
                : process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                        .findFirst();
    }

    /** Waits until the gateway's log holds {@code text}. */
    public void awaitLog(String text, Duration timeout) {
        Path log = home.resolve("data/log/karaf.log");
        await("'" + text + "' in " + log).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(log) && Files.readString(log).contains(text));
    }

    /**
     * Runs shell commands in the gateway as an operator would, through {@code bin/outpost-shell -b}.
     *
     * @param script commands, one per line
     * @return what they printed
     * @throws IOException if the shell failed (e.g. the gateway is not up yet), with its output
     */
    public String shell(String script) throws IOException, InterruptedException {
        Scripted run = script(script, home);
        if (run.exitCode() != 0) {
            throw new IOException("bin/outpost-shell failed: " + run.output());
        }
        return run.output();
    }

    /** What a scripted shell printed (standard output and error together) and its exit code. */
    public record Scripted(int exitCode, String output) {
    }

    /**
     * Runs shell commands through {@code bin/outpost-shell -b} started in {@code folder}, as an operator's script
     * would, whether they fail or not.
     */
    public Scripted script(String script, Path folder) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(home.resolve("bin/outpost-shell").toString(), "-b").directory(folder.toFile())
                .redirectErrorStream(true).start();
        try (java.io.OutputStream in = p.getOutputStream()) {
            in.write((script.endsWith("\n") ? script : script + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Scripted(p.waitFor(), out);
    }

    /** Kills the gateway with SIGKILL: no shutdown hook, no flush, as a power cut would leave the process. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        await("gateway killed").atMost(Duration.ofSeconds(20))
                .until(() -> !process.isAlive() && process.descendants().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    /**
     * Kills only the gateway's JVM (and its start script) with SIGKILL: processes the gateway started live on, as
     * they do when the JVM crashes.
     */
    public void killJvm() {
        if (process == null) {
            return;
        }
        Optional<ProcessHandle> java = jvm();
        java.ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        await("gateway JVM killed").atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive()
                && java.map(h -> !h.isAlive()).orElse(true));
        process = null;
    }

    /** Stops the gateway as an operator would (SIGTERM to its JVM), waiting for it to end. */
    public void stop() {
        if (process == null) {
            return;
        }
        Optional<ProcessHandle> jvm = jvm();
        jvm.ifPresent(ProcessHandle::destroy);
        process.destroy();
        // The script may end before its JVM has shut down: wait for the JVM itself.
        await("gateway stopped").atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive()
                && jvm.map(j -> !j.isAlive()).orElse(true) && process.descendants().noneMatch(ProcessHandle::isAlive));
        process = null;
    }

    @Override
    public void close() {
        kill();
    }

    /** Ports {@link #freePort()} gave, never given again. */
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /** @return a free loopback port */
    public static int freePort() {
        synchronized (HANDED_OUT) {
            while (true) {
                try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    // Two lanes ask at once: never hand the same port out twice in this JVM, even once closed.
                    if (HANDED_OUT.add(s.getLocalPort())) {
                        return s.getLocalPort();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
