/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.outpost.itests.GatewayProcess;

/**
 * A place in a process's {@code data/log/karaf.log}: what was logged after it, e.g. the line that says why a
 * connection was refused.
 */
final class LogMark {

    /** Words a refusal's log line uses (lower case). */
    private static final List<String> REFUSED = List.of("refus", "denied", "not authori", "rejected", "not allowed",
            "closed", "closing", "disconnect", "dropped", "may not", "malformed", "not a descendant", "not below",
            "unknown");

    private final Path log;
    private final long offset;

    private LogMark(Path log, long offset) {
        this.log = log;
        this.offset = offset;
    }

    /** @return the log's end now */
    static LogMark now(GatewayProcess p) throws IOException {
        Path log = p.home().resolve("data/log/karaf.log");
        return new LogMark(log, Files.exists(log) ? Files.size(log) : 0);
    }

    /** @return what was logged since the mark */
    String since() throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        // A rolled log starts again from its beginning.
        int from = all.length >= offset ? (int) offset : 0;
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** @return the first line logged since the mark that holds every fragment (case-insensitive) */
    Optional<String> line(String... fragments) throws IOException {
        return Arrays.stream(since().split("\\R")).filter(l -> {
            String lower = l.toLowerCase(Locale.ROOT);
            return Arrays.stream(fragments).allMatch(f -> lower.contains(f.toLowerCase(Locale.ROOT)));
        }).findFirst();
    }

    /**
     * Waits for a line, logged since the mark, that names {@code who} and says it was refused (refused, denied,
     * not authorized, ...).
     *
     * @return that line
     */
    String awaitRefusal(String who, String what) {
        return await(what + ": a log line naming '" + who + "' and its refusal", l -> l.contains(who)
                && REFUSED.stream().anyMatch(w -> l.toLowerCase(Locale.ROOT).contains(w)));
    }

    /**
     * Waits for a line, logged since the mark, that holds one of the words (case-insensitive).
     *
     * @return that line
     */
    String awaitAny(String what, String... words) {
        return await(what + ": a log line with one of " + Arrays.toString(words), l -> Arrays.stream(words)
                .anyMatch(w -> l.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT))));
    }

    /** Fails if anything logged since the mark holds one of the keys, or a SAS token's signature. */
    void assertNoSecret(String... keys) throws IOException {
        String logged = since();
        for (String key : keys) {
            if (logged.contains(key)) {
                throw new AssertionError("a device key in " + log + " (no key or token may be logged)");
            }
        }
        if (logged.contains("sig=")) {
            throw new AssertionError("a SAS token's signature in " + log + " (no key or token may be logged)");
        }
    }

    private String await(String what, java.util.function.Predicate<String> line) {
        try {
            return org.awaitility.Awaitility.await(what + ", in " + log).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> Arrays.stream(since().split("\\R"))
                            .filter(line).findFirst(), Optional::isPresent).orElseThrow();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String logged;
            try {
                logged = since();
            } catch (IOException io) {
                logged = io.toString();
            }
            throw new AssertionError(e.getMessage() + "\nLogged since:\n" + tail(logged), e);
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
