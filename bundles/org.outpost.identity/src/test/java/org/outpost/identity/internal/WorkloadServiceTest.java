/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadServiceTest {

    private static final Duration AT_MOST = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private final WorkloadFakes.Identities identities = new WorkloadFakes.Identities();
    private WorkloadService service;

    private static WorkloadService.Config config(String dir) {
        return new WorkloadService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return WorkloadService.Config.class;
            }

            @Override
            public String workload_dir() {
                return dir;
            }
        };
    }

    @AfterEach
    void deactivate() {
        if (service != null) {
            service.deactivate();
        }
    }

    private WorkloadService activate(Path dir) throws Exception {
        service = new WorkloadService(identities, new WorkloadFakes.Certificates(), config(dir.toString()));
        return service;
    }

    @Test
    void atStartEveryModuleIdentityHasItsSocket() throws Exception {
        identities.create("filter");
        identities.create("sensor");

        activate(tmp);

        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("filter.sock")).exists());
        assertThat(tmp.resolve("sensor.sock")).exists();
    }

    @Test
    void anIdentityMadeLaterGetsItsSocketAndADeletedOneLosesIt() throws Exception {
        identities.create("filter");
        activate(tmp);

        identities.create("sensor");
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("sensor.sock")).exists());

        identities.delete("filter");
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("filter.sock")).doesNotExist());
        assertThat(tmp.resolve("sensor.sock")).exists();
    }

    @Test
    void anotherFolderMovesTheSocketsAndTheSameFolderLeavesThemAlone() throws Exception {
        identities.create("filter");
        activate(tmp.resolve("a"));
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("a/filter.sock")).exists());
        Object socket = Files.readAttributes(tmp.resolve("a/filter.sock"), BasicFileAttributes.class).fileKey();

        service.modified(config(tmp.resolve("a").toString()));
        assertThat(Files.readAttributes(tmp.resolve("a/filter.sock"), BasicFileAttributes.class).fileKey())
                .as("the same socket file").isEqualTo(socket);

        service.modified(config(tmp.resolve("b").toString()));
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("b/filter.sock")).exists());
        assertThat(tmp.resolve("a/filter.sock")).doesNotExist();
    }

    @Test
    void deactivatingRemovesTheSocketsAndStopsListening() throws Exception {
        identities.create("filter");
        activate(tmp);
        await().atMost(AT_MOST).untilAsserted(() -> assertThat(tmp.resolve("filter.sock")).exists());

        service.deactivate();
        service = null;

        assertThat(tmp.resolve("filter.sock")).doesNotExist();
        assertThat(identities.listeners()).isZero();
    }

    @Test
    void theDefaultFolderIsUnderKarafData() {
        Path expected = Path.of(System.getProperty("karaf.data", "data"), "outpost", "workload").toAbsolutePath()
                .normalize();

        assertThat(WorkloadService.dir(config(WorkloadService.DEFAULT_DIR))).isEqualTo(expected);
        assertThat(WorkloadService.dir(config(" "))).as("blank is the default").isEqualTo(expected);
    }
}
