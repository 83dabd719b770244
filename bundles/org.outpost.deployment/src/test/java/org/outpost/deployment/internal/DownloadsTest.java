/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

class DownloadsTest {

    @TempDir
    Path dir;

    private final CountDownLatch hangUp = new CountDownLatch(1);
    private HttpServer server;

    /** A repository on 127.0.0.1 that serves {@code /ok.jar} and accepts {@code /stuck.jar} but never answers. */
    private String repository() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok.jar", x -> {
            byte[] body = "jar bytes".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/missing.jar", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.createContext("/stuck.jar", x -> {
            try {
                hangUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        hangUp.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aRepositoryThatNeverAnswersFailsTheDownloadWithinTheReadTimeoutSayingWhatToDo() throws Exception {
        String url = repository() + "/stuck.jar";
        Downloads downloads = new Downloads(dir, Duration.ofSeconds(1), Duration.ofSeconds(1));

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> downloads.fetch(url)).isInstanceOf(IOException.class).hasMessage("downloading "
                + url + " timed out: the server sent nothing for 1 s (download.read.timeout.seconds in"
                + " etc/org.outpost.deployment.cfg); check that the repository is reachable from the gateway and"
                + " answers, then deploy again, or raise download.read.timeout.seconds for a slow link");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDownloadLandsInAFileAndAnErrorAnswerIsAnError() throws Exception {
        String base = repository();
        Downloads downloads = new Downloads(dir, Duration.ofSeconds(1), Duration.ofSeconds(1));

        Path file = downloads.fetch(base + "/ok.jar");
        assertThat(file).hasContent("jar bytes");

        assertThatThrownBy(() -> downloads.fetch(base + "/missing.jar")).hasMessageContaining("downloading " + base
                + "/missing.jar failed: the server answered 404");
    }

    @Test
    void onlyHttpLocationsAreFetchedHere() {
        assertThat(Downloads.fetches("https://repo.example/x.jar")).isTrue();
        assertThat(Downloads.fetches("HTTP://repo.example/x.jar")).isTrue();
        assertThat(Downloads.fetches("mvn:org.acme/x/1")).isFalse();
        assertThat(Downloads.fetches("file:/opt/x.jar")).isFalse();
    }
}
