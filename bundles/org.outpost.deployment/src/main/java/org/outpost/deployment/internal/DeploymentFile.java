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
    /** The file's content, refused because a module kind it names is not (yet) on this gateway; or null. */
    private String waiting;

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

    private synchronized void changed(String content) {
        waiting = null;
        DeploymentResult r = deploy.apply(content);
        if (r.code() == 200) {
            LOG.info("Applied {}: {}", file.path(), r.steps());
        } else if (r.description() != null && r.description().contains(ModuleKinds.MISSING)) {
            // At start, the file can come before the kinds it needs (each is a service of its own): it waits for them.
            waiting = content;
            LOG.warn("{} waits: {}; it is applied when that kind comes", file.path(), r.description());
        } else {
            LOG.error("{} not applied: {}", file.path(), r.description());
        }
    }

    /** A module kind came: the file, if it was refused for want of a kind, is applied again. */
    synchronized void kindArrived() {
        String content = waiting;
        if (content != null) {
            changed(content);
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
