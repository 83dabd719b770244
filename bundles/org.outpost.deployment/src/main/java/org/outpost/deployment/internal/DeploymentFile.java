/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.outpost.commons.WatchedFile;
import org.outpost.deployment.api.DeploymentResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment manifest in {@code ${karaf.etc}} ({@code deployment.file}), applied when it changes: local, offline
 * deployments. One dropped in while the gateway was down is applied at start, unless it is the deployment running.
 */
final class DeploymentFile implements AutoCloseable {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final Function<String, DeploymentResult> deploy;
    private final WatchedFile file;

    /**
     * @param deploy applies a manifest
     * @param running the manifest of the deployment running now, or null
     * @param executor where the file found at start is applied
     */
    DeploymentFile(Path path, Function<String, DeploymentResult> deploy, IoSupplier running, Executor executor) {
        this.deploy = deploy;
        this.file = new WatchedFile(path, this::changed);
        if (Files.exists(path)) {
            executor.execute(() -> {
                try {
                    String content = Files.readString(path);
                    if (!content.equals(running.get())) {
                        changed(content);
                    }
                } catch (IOException e) {
                    LOG.error("Cannot read {}: {}", path, e.getMessage());
                }
            });
        }
    }

    /** Reads the running deployment's manifest. */
    @FunctionalInterface
    interface IoSupplier {
        String get() throws IOException;
    }

    private void changed(String content) {
        DeploymentResult r = deploy.apply(content);
        if (r.code() == 200) {
            LOG.info("Applied {}: {}", file.path(), r.steps());
        } else {
            LOG.error("{} not applied: {}", file.path(), r.description());
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
