/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who listens on which TCP port, from Linux's {@code /proc/net/tcp} and {@code tcp6} (listening sockets and their
 * inodes) and {@code /proc/self/fd} (the sockets this process holds).
 */
final class Listeners {

    /** Whether a port is listened on, and by whom. */
    enum Owner {
        /** this process */
        US,
        /** another process only */
        OTHER,
        /** nobody */
        NONE
    }

    private final Map<Integer, Set<Long>> listening;
    private final Set<Long> ours;

    Listeners(Map<Integer, Set<Long>> listening, Set<Long> ours) {
        this.listening = listening;
        this.ours = ours;
    }

    /** @return the listeners now, or empty where there is no {@code /proc} (not Linux) */
    static java.util.Optional<Listeners> read(Path proc) throws IOException {
        Path tcp = proc.resolve("net/tcp");
        if (!Files.isReadable(tcp)) {
            return java.util.Optional.empty();
        }
        Map<Integer, Set<Long>> listening = new HashMap<>();
        parse(Files.readAllLines(tcp), listening);
        Path tcp6 = proc.resolve("net/tcp6");
        if (Files.isReadable(tcp6)) {
            parse(Files.readAllLines(tcp6), listening);
        }
        Set<Long> ours = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException | NumberFormatException closedMeanwhile) {
                    // a file closed while we read the folder
                }
            }
        }
        return java.util.Optional.of(new Listeners(listening, ours));
    }

    /** Adds the listening sockets of a {@code /proc/net/tcp} table: port to inodes. */
    static void parse(List<String> lines, Map<Integer, Set<Long>> listening) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[3].equals("0A")) {
                continue;
            }
            int colon = f[1].lastIndexOf(':');
            int port = Integer.parseInt(f[1].substring(colon + 1), 16);
            listening.computeIfAbsent(port, p -> new HashSet<>()).add(Long.parseLong(f[9]));
        }
    }

    Owner owner(int port) {
        Set<Long> inodes = listening.getOrDefault(port, Set.of());
        if (inodes.isEmpty()) {
            return Owner.NONE;
        }
        return inodes.stream().anyMatch(ours::contains) ? Owner.US : Owner.OTHER;
    }
}
