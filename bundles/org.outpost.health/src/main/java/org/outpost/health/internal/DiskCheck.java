/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;

/** Free space of the data folder (journal, twins, logs): critical below {@code min.free.mb}, a warning below twice. */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {Check.NAME + "=disk space",
    Check.TAGS + "=storage"})
public final class DiskCheck implements Check {

    private static final long MB = 1024 * 1024;
    private final Path data;
    private final long minFree;

    @Activate
    public DiskCheck(HealthConfig config) {
        this(Path.of(System.getProperty("karaf.data", "data")), config.min_free_mb() * MB);
    }

    DiskCheck(Path data, long minFree) {
        this.data = data;
        this.minFree = minFree;
    }

    @Override
    public CheckResult run() throws IOException {
        return judge(data, Files.getFileStore(data).getUsableSpace(), minFree);
    }

    static CheckResult judge(Path data, long free, long minFree) {
        String detail = free / MB + " MB free for " + data;
        String action = "free disk space on that file system, or lower storeAndForward.maxBytesPerEndpoint (the"
                + " deployment) so the journal stays smaller";
        if (free < minFree) {
            return CheckResult.critical(detail + " (under " + minFree / MB + " MB): the journal will refuse"
                    + " messages", action);
        }
        if (free < 2 * minFree) {
            return CheckResult.warn(detail + " (under " + 2 * minFree / MB + " MB)", action);
        }
        return CheckResult.ok(detail);
    }
}
