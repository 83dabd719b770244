/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.RoutedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Appends batches as JSON lines to {@code <folder>/<prefix>-<UTC time the file was opened>.jsonl} and syncs the file
 * ({@code fsync}) before returning. A new file is begun at the first delivery (and after a failure), when the current
 * one would grow past {@code maxFileBytes} (a file ends at a batch's end; one larger batch makes one larger file), and
 * at the first batch after {@code rotateSeconds}; beyond {@code maxFiles} the oldest are deleted. Messages whose
 * sequence is not above the last one written (the last line of the newest file, after a restart) are skipped, so that
 * a redelivered batch is not written twice; a torn last line (a crash while writing) is cut off.
 */
final class FilesSink implements EndpointSink {

    record Options(Path folder, String prefix, long maxFileBytes, Duration rotate, int maxFiles) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(FilesSink.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String name;
    private final Options options;
    private final Clock clock;
    private final Pattern ours;
    private FileChannel current;
    private Path currentPath;
    private Instant openedAt;
    private long size;
    private long lastSequence = Long.MIN_VALUE;
    private boolean recovered;

    FilesSink(String name, Options options, Clock clock) {
        this.name = name;
        this.options = options;
        this.clock = clock;
        this.ours = Pattern.compile(Pattern.quote(options.prefix()) + "-\\d{8}T\\d{6}\\.\\d{3}Z\\.jsonl");
    }

    @Override
    public synchronized void deliver(List<RoutedMessage> batch) throws IOException {
        try {
            if (!recovered) {
                Files.createDirectories(options.folder());
                recover();
                recovered = true;
            }
            ByteArrayOutputStream lines = new ByteArrayOutputStream();
            long last = lastSequence;
            for (RoutedMessage routed : batch) {
                if (routed.sequence() > last) {
                    lines.writeBytes(MessageJson.line(routed));
                    last = routed.sequence();
                }
            }
            if (lines.size() == 0) {
                return;
            }
            Instant now = clock.instant();
            if (current == null || size > 0 && (size + lines.size() > options.maxFileBytes()
                    || !now.isBefore(openedAt.plus(options.rotate())))) {
                rotate(now);
            }
            ByteBuffer buffer = ByteBuffer.wrap(lines.toByteArray());
            try {
                while (buffer.hasRemaining()) {
                    current.write(buffer);
                }
                current.force(false);
            } catch (IOException e) {
                current.truncate(size); // no torn batch at the end of the file
                throw e;
            }
            size += lines.size();
            lastSequence = last;
        } catch (IOException e) {
            closeCurrent();
            throw new IOException("routing endpoint " + name + " (files): cannot write " + batch.size()
                    + " message(s) to " + (currentPath != null ? currentPath : options.folder()) + ": " + e
                    + " (the hub retries; check the folder's space and permissions)", e);
        }
    }

    /** Closes the current file, opens a new one and deletes the oldest beyond maxFiles. */
    private void rotate(Instant now) throws IOException {
        closeCurrent();
        Instant stamp = now;
        Path path = options.folder().resolve(fileName(stamp));
        while (Files.exists(path)) {
            stamp = stamp.plusMillis(1);
            path = options.folder().resolve(fileName(stamp));
        }
        current = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentPath = path;
        openedAt = now;
        size = 0;
        prune();
        syncFolder();
        LOG.debug("Routing endpoint {} writes to {}", name, path);
    }

    private String fileName(Instant stamp) {
        return options.prefix() + "-" + STAMP.format(stamp) + ".jsonl";
    }

    /** This endpoint's files, oldest first (the names sort by time). */
    List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(options.folder())) {
            return files.filter(f -> ours.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private void prune() throws IOException {
        if (options.maxFiles() <= 0) {
            return;
        }
        List<Path> files = files();
        for (int i = 0; i < files.size() - options.maxFiles(); i++) {
            if (!files.get(i).equals(currentPath)) {
                Files.deleteIfExists(files.get(i));
            }
        }
    }

    /** Reads the last sequence written from the newest file, cutting off a torn last line. */
    private void recover() throws IOException {
        List<Path> files = files();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            byte[] bytes = Files.readAllBytes(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < bytes.length) {
                LOG.warn("Routing endpoint {}: cut a torn last line ({} bytes) off {}", name, bytes.length - end, file);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(end);
                    channel.force(false);
                }
            }
            int start = end - 1;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            if (start >= 0 && end > 0) {
                JsonNode line = MessageJson.MAPPER.readTree(new String(bytes, start, end - start,
                        java.nio.charset.StandardCharsets.UTF_8));
                if (line != null && line.has("sequence")) {
                    lastSequence = line.get("sequence").asLong();
                    return;
                }
            }
        }
    }

    private void syncFolder() {
        try (FileChannel folder = FileChannel.open(options.folder(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot sync folder {}: {}", options.folder(), e.toString());
        }
    }

    private void closeCurrent() {
        FileChannel c = current;
        current = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", currentPath, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        closeCurrent();
    }
}
