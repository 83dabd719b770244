/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;


/**
 * A file in {@code etc/} that operators edit and a component applies when it changes, such as the routes
 * ({@code etc/edgehub.json}) or a local deployment ({@code etc/deployment.json}). Polled every two seconds: file-system
 * events are not reliable on every file system a gateway runs on, and a stat every two seconds costs nothing.
 */
public final class WatchedFile implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WatchedFile.class.getName());
    private static final long POLL_SECONDS = 2;

    private record Seen(long modified, long size) {
    }

    private final Path file;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService poller;
    private Seen seen;

    /**
     * @param file the file
     * @param onChange told the file's content whenever it changes (not for its content when watching starts); it
     *            reports its own errors
     */
    public WatchedFile(Path file, Consumer<String> onChange) {
        this.file = file;
        this.onChange = onChange;
        this.poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-watch-"
                + file.getFileName()));
        this.seen = stat();
        poller.scheduleWithFixedDelay(this::poll, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the file */
    public Path path() {
        return file;
    }

    /** Writes new content (atomically), without telling {@code onChange} about it. */
    public synchronized void write(String content) throws IOException {
        AtomicFiles.write(file, content);
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
        } catch (IOException e) {
            seen = null; // read it again at the next poll
            LOG.log(System.Logger.Level.WARNING, "Cannot read " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, file + ": " + e.getMessage(), e);
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
