/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.testing.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker for a test: Kafka 4 in KRaft mode (one process that is broker and controller), in a JVM
 * of its own whose class path is the Kafka jars of the local Maven repository (written into this artifact at build
 * time), listening on 127.0.0.1 at free ports, with its storage formatted under a random cluster id in a temporary
 * directory. {@link #stop()} kills it (as a crash would) and keeps its data; {@link #start()} starts it again on the
 * same ports and data; {@link #close()} kills it and deletes everything. Topics are created on first use.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String classPath;
    private Process process;
    private final Thread killer = new Thread(this::kill, "kafka-broker-killer");

    private KafkaBroker(Path dir, int port, int controllerPort, String classPath) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.classPath = classPath;
    }

    /**
     * Formats a new broker's storage and starts it; returns when it answers requests.
     *
     * @throws IOException if the broker cannot be formatted or does not become ready (its log is in the message)
     */
    public static KafkaBroker create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("outpost-kafka");
        KafkaBroker broker = new KafkaBroker(dir, freePort(), freePort(), brokerClassPath());
        try {
            Files.writeString(dir.resolve("server.properties"), broker.serverProperties());
            broker.run("format", List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
                    dir.resolve("server.properties").toString()));
            Runtime.getRuntime().addShutdownHook(broker.killer);
            broker.start();
            return broker;
        } catch (IOException | RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
    }

    /** @return {@code 127.0.0.1:<port>}, the bootstrap servers of clients */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** @return whether the broker's process runs */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker (again) on its ports and data; returns when it answers requests. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            return;
        }
        List<String> command = javaCommand();
        command.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IOException("the Kafka broker in " + dir + " exited with " + process.exitValue() + ": "
                        + log());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("the Kafka broker in " + dir + " was not ready after " + READY_TIMEOUT + ": "
                        + log());
            }
            Thread.sleep(200);
        }
    }

    /** Kills the broker's process (SIGKILL, as a crash) and waits for it to end; its data stays. */
    public synchronized void stop() throws InterruptedException {
        kill();
    }

    /** @return the end of the broker's output (for failure messages) */
    public String log() {
        try {
            String log = Files.readString(dir.resolve("broker.log"), StandardCharsets.UTF_8);
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never added
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    private synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Sends ApiVersions (v0) and reads the answer: the broker accepts connections before it processes requests. */
    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] client = "outpost-test".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(2 + 2 + 4 + 2 + client.length);
            out.writeShort(18); // ApiVersions
            out.writeShort(0);
            out.writeInt(42);
            out.writeShort(client.length);
            out.write(client);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            return size >= 4 && in.readInt() == 42;
        } catch (IOException e) {
            return false;
        }
    }

    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.flush.interval.messages=1", "") ;
    }

    private void run(String what, List<String> args) throws IOException, InterruptedException {
        List<String> command = javaCommand();
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("Kafka " + what + " in " + dir + " failed: " + new String(output,
                    StandardCharsets.UTF_8));
        }
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-cp", classPath));
        return command;
    }

    private static String brokerClassPath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IOException("org/outpost/testing/kafka/broker.classpath is missing: build "
                        + "testing/kafka-broker with Maven (its dependency plugin writes it)");
            }
            String classPath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            for (String jar : classPath.split(java.io.File.pathSeparator)) {
                if (!Files.isRegularFile(Path.of(jar))) {
                    throw new IOException("the Kafka broker's jar " + jar + " is not in the local Maven repository: "
                            + "mvn dependency:get -Dartifact=org.apache.kafka:kafka_2.13:<version>");
                }
            }
            return classPath;
        }
    }

    /** A random cluster id as Kafka makes them: 16 bytes, URL-safe Base64 without padding, not starting with '-'. */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
