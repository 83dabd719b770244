/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.files.FileStoreMonitor;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.outpost.broker.api.StorageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the running broker's disk monitor (Artemis measures the file systems of its journal, bindings, paging
 * and large messages every {@code disk.scan.period.ms} against {@code max.disk.usage}) and keeps what it saw as a
 * {@link StorageState}. It says so once when the disk goes over the limit, and once when space returns.
 */
final class StorageMonitor implements FileStoreMonitor.Callback, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StorageMonitor.class);

    private final Path directory;
    private final Consumer<String> full;
    private final Consumer<String> recovered;
    private final FileStoreMonitor monitor;
    private volatile StorageState state;

    private StorageMonitor(Path directory, FileStoreMonitor monitor, Consumer<String> full,
            Consumer<String> recovered) {
        this.directory = directory;
        this.monitor = monitor;
        this.full = full;
        this.recovered = recovered;
        this.state = new StorageState(false, directory, -1, maxPercent());
    }

    /**
     * Starts listening to a started server's disk monitor and measures once, so the state is known at once.
     *
     * @param server the started broker
     * @param directory its data directory, named in what is logged
     */
    static StorageMonitor watch(ActiveMQServer server, Path directory) {
        return watch(server, directory, LOG::error, LOG::warn);
    }

    /** @param full told the message when the disk goes over the limit; @param recovered when space returns */
    static StorageMonitor watch(ActiveMQServer server, Path directory, Consumer<String> full,
            Consumer<String> recovered) {
        FileStoreMonitor m = server instanceof ActiveMQServerImpl impl ? impl.getMonitor() : null;
        StorageMonitor watcher = new StorageMonitor(directory, m, full, recovered);
        if (m == null) {
            LOG.warn("The broker does not watch its disk (no disk monitor): a full disk will not be reported");
        } else {
            m.addCallback(watcher);
            m.tick();
        }
        return watcher;
    }

    /** @return the storage as last measured */
    StorageState state() {
        return state;
    }

    /**
     * Changes the limit of the running monitor and measures at once: the same as Artemis' {@code max-disk-usage},
     * without a restart.
     *
     * @param percent 1-100
     */
    void limit(int percent) {
        if (monitor != null) {
            monitor.setMaxUsage(percent / 100d);
            monitor.tick();
        }
    }

    @Override
    public void tick(long usableSpace, long totalSpace, boolean withinLimit, FileStoreMonitor.FileStoreMonitorType type) {
        int usage = totalSpace <= 0 ? 0 : (int) Math.floor(FileStoreMonitor.calculateUsage(usableSpace, totalSpace)
                * 100);
        StorageState next = new StorageState(!withinLimit, directory, usage, maxPercent());
        StorageState previous = state;
        state = next;
        if (next.full() && !previous.full()) {
            full.accept(next.message());
        } else if (!next.full() && previous.full()) {
            recovered.accept("disk space returned: " + directory + " is at " + usage + "% (max.disk.usage "
                    + next.maxUsagePercent() + "%); messages are taken again");
        }
    }

    private int maxPercent() {
        return monitor == null ? 100 : (int) Math.round(monitor.getMaxUsage() * 100);
    }

    @Override
    public void close() {
        if (monitor != null) {
            monitor.removeCallback(this);
        }
    }
}
