/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runtime's own log: {@code karaf.log} and its rolled files ({@code karaf.log.1}, ... the higher the older) in the
 * log folder, oldest first, with the entries between {@code since} and {@code until} (an entry starts with log4j's
 * ISO 8601 time, {@code 2026-12-05 10:08:47,123} or with a {@code T}, in the gateway's time zone; the lines after it
 * without a time, a stack trace, belong to it), each line scrubbed of secrets.
 */
final class GatewayLog {

    private static final Pattern TIME = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:[,.](\\d{1,3}))?");
    private static final Pattern ROLLED = Pattern.compile("karaf\\.log(?:\\.(\\d+))?");

    private final Path folder;
    private final ZoneId zone;
    private final Redactor redactor;

    GatewayLog(Path folder, ZoneId zone, Redactor redactor) {
        this.folder = folder;
        this.zone = zone;
        this.redactor = redactor;
    }

    /** @return the log files, oldest first */
    List<Path> files() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            s.filter(p -> ROLLED.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort(Comparator.comparingInt(GatewayLog::age).reversed());
        return files;
    }

    private static int age(Path file) {
        Matcher m = ROLLED.matcher(file.getFileName().toString());
        return m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Writes the entries in the window.
     *
     * @param maxBytes at most this many characters are written; the rest is left out with a line saying so
     * @return how many characters were written
     */
    long write(Instant since, Instant until, long maxBytes, Writer out) throws IOException {
        long written = 0;
        for (Path file : files()) {
            boolean keep = since == null;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    Instant t = time(line);
                    if (t != null) {
                        keep = (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
                    }
                    if (keep) {
                        if (written + line.length() + 1 > maxBytes) {
                            out.write("... the log is cut here: more than " + maxBytes + " characters (set"
                                    + " log.max.bytes in etc/org.outpost.support.cfg, or use --since)\n");
                            return written;
                        }
                        String clean = redactor.lines(line);
                        out.write(clean);
                        out.write('\n');
                        written += clean.length() + 1;
                    }
                }
            } catch (java.nio.charset.MalformedInputException e) {
                out.write("... " + file.getFileName() + " is not UTF-8 text from here: left out\n");
            }
        }
        return written;
    }

    /** @return the time a log entry starts with, or null for a continuation line */
    Instant time(String line) {
        Matcher m = TIME.matcher(line);
        if (!m.find()) {
            return null;
        }
        try {
            String millis = m.group(3) == null ? "000" : (m.group(3) + "00").substring(0, 3);
            return LocalDateTime.parse(m.group(1) + "T" + m.group(2) + "." + millis,
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
