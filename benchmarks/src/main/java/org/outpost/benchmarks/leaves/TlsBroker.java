/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.benchmarks.leaves;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto the harness starts: the baseline for the leaves' connections (a TLS listener with a certificate of a CA
 * made here with openssl, EC P-256 as the gateway's own, anonymous: it checks no credentials), and a plain listener
 * that plays the cloud for the gateway's upstream. Runs as the current user, in its own temporary folder.
 */
public final class TlsBroker implements AutoCloseable {

    private final Path dir;
    private final int tlsPort;
    private final int plainPort;
    private Process process;

    /**
     * @param tlsPort the TLS port (loopback), or -1 for none
     * @param plainPort the plain port (loopback), or -1 for none
     */
    public TlsBroker(int tlsPort, int plainPort) throws IOException, InterruptedException {
        this.dir = Files.createTempDirectory("bench-mosquitto");
        this.tlsPort = tlsPort;
        this.plainPort = plainPort;
        StringBuilder conf = new StringBuilder("per_listener_settings false\nallow_anonymous true\npersistence false\n"
                + "user " + System.getProperty("user.name") + "\nlog_dest stderr\nmax_connections -1\n"
                + "max_inflight_messages 0\nmax_queued_messages 100000\n");
        if (tlsPort > 0) {
            makeCertificates();
            conf.append("listener ").append(tlsPort).append(" 127.0.0.1\n").append("cafile ").append(caPem())
                    .append("\ncertfile ").append(dir.resolve("server.pem")).append("\nkeyfile ")
                    .append(dir.resolve("server.key")).append('\n');
        }
        if (plainPort > 0) {
            conf.append("listener ").append(plainPort).append(" 127.0.0.1\n");
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
    }

    /** @return the CA certificate (PEM) that leaves trust for the TLS listener */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    private void makeCertificates() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=bench-ca");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.pem", "-days", "2", "-extfile", "san.cnf");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + args[0] + " failed (is openssl installed? apt-get install"
                    + " openssl): " + out);
        }
    }

    /** Starts Mosquitto and waits until its listeners take connections. */
    public TlsBroker start() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : new int[] {tlsPort, plainPort}) {
            while (port > 0 && !listening(port)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("Mosquitto did not listen on " + port + ": see "
                            + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
        return this;
    }

    /** @return Mosquitto's process id */
    public long pid() {
        return process.pid();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String p : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: apt-get install mosquitto");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }
}
