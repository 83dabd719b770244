/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for a test, from Debian's {@code postgresql} package (which {@code .ci/run}
 * installs): a new cluster in a temporary directory, listening on 127.0.0.1 at a free port with a password
 * ({@value #USER} / {@value #PASSWORD}, database {@value #DATABASE}), stopped and deleted on {@link #close()}.
 * {@link #stop()} takes it down at once (as a crash would) and {@link #restart()} starts it again on the same port and
 * data. PostgreSQL refuses to run as root, so when the tests run as root the cluster is the {@code postgres} user's.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "outpost";
    public static final String PASSWORD = "outpost-test";
    public static final String DATABASE = "outpost";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    /** The server's options past port, socket and address: a test's cluster does not sync to disk. */
    private final String options;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres, boolean durable) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
        this.options = durable ? "" : " -c fsync=off -c full_page_writes=off";
    }

    /**
     * Creates a cluster at a free port and starts it, with an empty database {@value #DATABASE} owned by
     * {@value #USER}, without syncing to disk (a test's database).
     *
     * @throws IOException if PostgreSQL is not installed or a step fails (with what it printed)
     */
    public static PostgresServer start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * As {@link #start()}; {@code durable} keeps PostgreSQL's defaults (every commit synced to disk), for benchmarks.
     */
    public static PostgresServer start(boolean durable) throws IOException, InterruptedException {
        return start(freePort(), durable);
    }

    /**
     * As {@link #start(boolean)}, at {@code port}: for a caller that hands out the ports of its processes itself (so
     * that two tests running at once in one JVM never get the same one).
     */
    public static PostgresServer start(int port, boolean durable) throws IOException, InterruptedException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        // Under /tmp: the postgres user must reach it (it cannot enter root's build directory).
        Path dir = Files.createTempDirectory("outpost-pg");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        if (root) {
            run(null, "chown", "-R", "postgres", dir.toString());
        }
        PostgresServer server = new PostgresServer(bin, dir, port, root, durable);
        try {
            server.pg("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--pwfile=" + dir.resolve(
                    "password"), "--auth=scram-sha-256", "-E", "UTF8");
            server.restart();
            server.pg("createdb", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, DATABASE);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** @return the JDBC URL of the database */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** @return the port the server listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** Stops the server at once (as a crash would), keeping its data; {@link #restart()} starts it again. */
    public void stop() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    }

    /**
     * Starts the server (again, after {@link #stop()}) on the same port and data; returns once it accepts
     * connections. Loopback only, its socket in the cluster's own directory.
     */
    public void restart() throws IOException, InterruptedException {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t",
                "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1" + options, "start");
    }

    /** Runs SQL with psql and returns what it prints (unaligned, tuples only). */
    public String sql(String sql) throws IOException, InterruptedException {
        return pg("psql", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", DATABASE, "-At", "-c",
                sql).strip();
    }

    private String pg(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        return run(dir, command.toArray(String[]::new));
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PASSWORD);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static Path binaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IOException("no initdb under /usr/lib/postgresql/*/bin"));
        } catch (NoSuchFileException e) {
            throw new IOException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (clients disconnected, if it runs) and deletes the cluster. */
    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("Could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
