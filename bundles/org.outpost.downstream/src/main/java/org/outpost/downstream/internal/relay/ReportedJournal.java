/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

import org.outpost.commons.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child identity's reported patches that the hub has yet to take, in order, in an append-only file that survives
 * a restart: a line {@code P <seq> <patch JSON>} for each patch stored, {@code D <seq>} when the hub took it (or
 * refused it for good). Each line is forced to disk before the call returns. The file is emptied when nothing waits,
 * and rewritten with only what waits once it holds {@link #COMPACT_AFTER} lines. A line cut short by a crash (the
 * last, without its newline) is ignored. Patches are compact JSON (no newline in them). Thread-safe: its lock is held
 * only for the local file write, never for network I/O.
 */
final class ReportedJournal {

    /** A patch waiting for the hub. */
    record Entry(long seq, String patch) {
    }

    /** Lines after which the file is rewritten with only the waiting patches. */
    static final int COMPACT_AFTER = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ReportedJournal.class);

    private final Path file;
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private long lastSeq;
    private int lines;

    private ReportedJournal(Path file) {
        this.file = file;
    }

    /**
     * @param file the journal (created at the first patch)
     * @return the journal with what waits in it
     * @throws IOException if it exists and cannot be read
     */
    static ReportedJournal open(Path file) throws IOException {
        ReportedJournal j = new ReportedJournal(file);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < text.length() - 1) {
                LOG.warn("{}: dropping its last line, cut short (the gateway stopped while writing it)", file);
                AtomicFiles.write(file, text.substring(0, end + 1));
            }
            for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
                j.replay(line);
                j.lines++;
            }
        }
        return j;
    }

    private void replay(String line) {
        try {
            if (line.startsWith("P ")) {
                int space = line.indexOf(' ', 2);
                long seq = Long.parseLong(line.substring(2, space));
                waiting.addLast(new Entry(seq, line.substring(space + 1)));
                lastSeq = Math.max(lastSeq, seq);
            } else if (line.startsWith("D ")) {
                long seq = Long.parseLong(line.substring(2).strip());
                waiting.removeIf(e -> e.seq() == seq);
            } else if (!line.isBlank()) {
                LOG.warn("{}: ignoring a line that is neither 'P <seq> <patch>' nor 'D <seq>'", file);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: ignoring a malformed line ({})", file, e.toString());
        }
    }

    /**
     * Stores a patch after the others.
     *
     * @param compactPatch the patch as one line of JSON
     * @throws IOException if it cannot be written (it is not stored then)
     */
    synchronized Entry append(String compactPatch) throws IOException {
        if (compactPatch.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a journal entry is one line of JSON");
        }
        Entry e = new Entry(lastSeq + 1, compactPatch);
        write("P " + e.seq() + " " + compactPatch + "\n");
        lastSeq = e.seq();
        waiting.addLast(e);
        return e;
    }

    /** @return the oldest waiting patch */
    synchronized Optional<Entry> head() {
        return Optional.ofNullable(waiting.peekFirst());
    }

    /** @return the waiting patches, oldest first */
    synchronized List<Entry> waiting() {
        return List.copyOf(waiting);
    }

    synchronized int size() {
        return waiting.size();
    }

    /**
     * Removes a patch the hub took (or refused for good).
     *
     * @throws IOException if that cannot be written: it is sent again after a restart
     */
    synchronized void remove(long seq) throws IOException {
        if (!waiting.removeIf(e -> e.seq() == seq)) {
            return;
        }
        if (waiting.isEmpty()) {
            AtomicFiles.write(file, "");
            lines = 0;
        } else if (lines + 1 >= COMPACT_AFTER) {
            StringBuilder all = new StringBuilder();
            waiting.forEach(e -> all.append("P ").append(e.seq()).append(' ').append(e.patch()).append('\n'));
            AtomicFiles.write(file, all.toString());
            lines = waiting.size();
        } else {
            write("D " + seq + "\n");
        }
    }

    private void write(String line) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
        lines++;
    }
}
