/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Mosquitto playing the cloud, on a loopback port, with a persistent store so that sessions survive a restart
 * (a cloud that comes back keeps what it queued for subscribers). Stopped by its process handle.
 */
public final class Mosquitto implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    public Mosquitto(int port) throws IOException {
        this(port, true);
    }

    /**
     * @param port the loopback port to listen on
     * @param persistent whether sessions and queued messages survive a restart (saved every second)
     */
    public Mosquitto(int port, boolean persistent) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("mosquitto");
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence " + persistent + "\n"
                // Run as the current user: as root, Mosquitto would switch to 'mosquitto', which cannot write here.
                + "user " + System.getProperty("user.name") + "\n"
                + "persistence_location " + dir + "/\n"
                + "autosave_interval 1\n"
                + "max_queued_messages 0\n"
                + "log_dest stderr\n");
    }

    public Mosquitto start() throws IOException {
        process = new ProcessBuilder(mosquittoBinary(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        await("Mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).until(this::listening);
        return this;
    }

    public void stop() {
        if (process != null) {
            process.destroy();
            await("Mosquitto stopped").atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive());
            process = null;
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String mosquittoBinary() {
        for (String p : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: apt-get install mosquitto (.ci/run does)");
    }

    @Override
    public void close() {
        stop();
    }
}
