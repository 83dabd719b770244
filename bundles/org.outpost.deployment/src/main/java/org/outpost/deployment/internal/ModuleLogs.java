/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.deployment.api.LogQuery;

/**
 * Module logs: a container module's output file, written here a line at a time with the time of each line and rotated
 * at a size bound, and the reading of both that file and the gateway's log (Karaf's {@code karaf.log}) with the
 * filters of a {@link LogQuery}.
 */
final class ModuleLogs {

    /** An entry: one output line, or a log record with its continuation lines (a stack trace). */
    record Entry(Instant time, String level, String text) {
    }

    private static final Pattern SYSLOG = Pattern.compile("^<([0-7])>");
    private static final Pattern LEVEL_WORD = Pattern.compile(
            "\\b(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|trace|debug|info|warn|warning|error|fatal)\\b");
    private static final DateTimeFormatter KARAF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private ModuleLogs() {
    }

    /** Appends timestamped lines to a container module's output file, keeping at most two files of maxBytes. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final long maxBytes;
        private BufferedWriter out;
        private long size;

        Writer(Path file, long maxBytes) {
            this.file = file;
            this.maxBytes = maxBytes;
        }

        synchronized void line(Instant time, String line) throws IOException {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                size = Files.size(file);
            }
            String text = time + " " + line + "\n";
            out.write(text);
            out.flush();
            size += text.length();
            if (size >= maxBytes) {
                out.close();
                out = null;
                Files.move(file, rotated(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (out != null) {
                out.close();
                out = null;
            }
        }
    }

    static Path rotated(Path file) {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    /** @return the matching entries of a container module's output (its rotated file first), newest {@code tail} */
    static List<String> container(Path file, LogQuery query) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        for (Path f : List.of(rotated(file), file)) {
            if (!Files.exists(f)) {
                continue;
            }
            try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
                lines.forEach(l -> {
                    Entry e = containerEntry(l);
                    if (query.matches(e.time(), e.level(), e.text())) {
                        keep(out, l, query.tail());
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new ArrayList<>(out);
    }

    /** @return a line of a container module's output file: its time, its level, its text */
    static Entry containerEntry(String line) {
        int space = line.indexOf(' ');
        Instant time = null;
        String text = line;
        if (space > 0) {
            try {
                time = Instant.parse(line.substring(0, space));
                text = line.substring(space + 1);
            } catch (DateTimeParseException e) {
                // Written before lines were timestamped: no time.
            }
        }
        return new Entry(time, level(text), text);
    }

    /** @return the level of an output line: its syslog severity, or a level word in its first 80 characters */
    static String level(String text) {
        Matcher syslog = SYSLOG.matcher(text);
        if (syslog.find()) {
            return LogQuery.levelOfSyslogSeverity(Integer.parseInt(syslog.group(1)));
        }
        Matcher word = LEVEL_WORD.matcher(text.length() > 80 ? text.substring(0, 80) : text);
        if (word.find()) {
            return switch (word.group(1).toLowerCase(Locale.ROOT)) {
                case "trace" -> "trace";
                case "debug" -> "debug";
                case "warn", "warning" -> "warn";
                case "error", "fatal", "critical" -> "error";
                default -> "info";
            };
        }
        return "info";
    }

    /**
     * @param log the gateway log ({@code karaf.log}: {@code 2026-11-26T11:32:49,222 | ERROR | thread | ...})
     * @param belongs which records belong to the module (by their first line)
     * @return the module's matching records, continuation lines included, newest {@code tail}
     */
    static List<String> gateway(Path log, Predicate<String> belongs, LogQuery query, ZoneId zone) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        if (!Files.exists(log)) {
            return List.of();
        }
        StringBuilder record = null;
        Entry head = null;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Entry e = gatewayEntry(line, zone);
            if (e == null) {
                if (record != null) {
                    record.append('\n').append(line);
                }
                continue;
            }
            flush(out, record, head, query);
            record = belongs.test(line) ? new StringBuilder(line) : null;
            head = e;
        }
        flush(out, record, head, query);
        return new ArrayList<>(out);
    }

    private static void flush(Deque<String> out, StringBuilder record, Entry head, LogQuery query) {
        if (record != null && query.matches(head.time(), head.level(), record.toString())) {
            keep(out, record.toString(), query.tail());
        }
    }

    /** @return the first line of a gateway log record, or null for a continuation line */
    static Entry gatewayEntry(String line, ZoneId zone) {
        if (line.length() < 27 || line.charAt(24) != '|') {
            return null;
        }
        try {
            Instant time = LocalDateTime.parse(line.substring(0, 23), KARAF_TIME).atZone(zone).toInstant();
            int end = line.indexOf('|', 26);
            String level = end < 0 ? "info" : line.substring(26, end).strip().toLowerCase(Locale.ROOT);
            return new Entry(time, LogQuery.LEVELS.contains(level) ? level : "info", line);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void keep(Deque<String> out, String entry, int tail) {
        out.addLast(entry);
        if (out.size() > tail) {
            out.removeFirst();
        }
    }
}
