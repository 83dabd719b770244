/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes file, {@code etc/edgehub.json}: an IoT Edge {@code $edgeHub} section (or a whole manifest) that the router
 * applies when it changes. Polled every two seconds: file-system events are not reliable on every file system a
 * gateway runs on, and a stat every two seconds costs nothing.
 */
final class EdgeHubFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHubFile.class);
    private static final long POLL_SECONDS = 2;

    private record Seen(long modified, long size) {
    }

    private final Path file;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-routes-file");
        t.setDaemon(true);
        return t;
    });
    private Seen seen;

    /**
     * @param file the file
     * @param onChange told the file's content whenever it changes (not for its content when watching starts)
     */
    EdgeHubFile(Path file, Consumer<String> onChange) {
        this.file = file;
        this.onChange = onChange;
        this.seen = stat();
        poller.scheduleWithFixedDelay(this::poll, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    Path path() {
        return file;
    }

    /** Writes new content (atomically), without telling {@code onChange} about it. */
    synchronized void write(String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        seen = stat();
    }

    private synchronized void poll() {
        Seen now = stat();
        if (now == null || Objects.equals(now, seen)) {
            seen = now;
            return;
        }
        seen = now;
        try {
            onChange.accept(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: {}", file, e.getMessage());
        }
    }

    private Seen stat() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Seen(a.lastModifiedTime().toMillis(), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
