/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFileTest {

    @TempDir
    Path dir;

    @Test
    void reportsEachChangeButNotItsOwnWritesNorTheContentItStartedWith() throws Exception {
        Path file = dir.resolve("edgehub.json");
        Files.writeString(file, "{\"routes\": {}}");
        List<String> changes = new CopyOnWriteArrayList<>();
        try (WatchedFile watched = new WatchedFile(file, changes::add)) {
            watched.write("{\"routes\": {\"a\": \"FROM /messages/* INTO $upstream\"}}");
            Files.writeString(file, "{\"routes\": {\"b\": \"FROM /messages/* INTO $upstream\"}}");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
            String b = "{\"routes\": {\"b\": \"FROM /messages/* INTO $upstream\"}}";
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.contains(b));
            assertThat(changes).noneMatch(c -> c.contains("\"a\""));
        }
    }

    @Test
    void aFileThatAppearsLaterIsReported() throws Exception {
        Path file = dir.resolve("edgehub.json");
        List<String> changes = new CopyOnWriteArrayList<>();
        try (WatchedFile watched = new WatchedFile(file, changes::add)) {
            Files.writeString(file, "{}");
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.equals(List.of("{}")));
        }
    }
}
