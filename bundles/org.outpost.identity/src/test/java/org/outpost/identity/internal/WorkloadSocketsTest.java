/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadSocketsTest {

    @Test
    void aModulesSocketIsNamedAfterItInTheConfiguredFolder(@TempDir Path dir) {
        WorkloadSockets sockets = new WorkloadSockets(dir);

        assertThat(sockets.socket("filter")).isEqualTo(dir.toAbsolutePath().resolve("filter.sock"));
    }

    @Test
    void aFolderTooDeepForUnixSocketsIsReplacedByAShortOneUnderTmp() {
        Path deep = Path.of("/var/lib", "x".repeat(90), "workload");

        WorkloadSockets sockets = new WorkloadSockets(deep);

        assertThat(sockets.dir()).hasParentRaw(WorkloadSockets.SYSTEM_TMP);
        assertThat(sockets.dir().getFileName().toString()).startsWith("outpost-workload-");
        assertThat(sockets.dir()).isEqualTo(new WorkloadSockets(deep).dir());
    }

    @Test
    void everySocketPathFitsTheLimitEvenForTheLongestModuleId(@TempDir Path dir) {
        Path socket = new WorkloadSockets(dir).socket("m".repeat(WorkloadSockets.MAX_MODULE_ID));

        assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(WorkloadSockets.MAX_PATH_BYTES);
    }
}
