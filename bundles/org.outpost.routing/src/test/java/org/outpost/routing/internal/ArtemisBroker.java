/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.files.FileStoreMonitor;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueDepth;
import org.outpost.broker.api.QueueStats;
import org.outpost.broker.api.StorageState;

/**
 * A real, persistent Artemis in a directory, with its in-VM clients set as the gateway's broker sets them. Its disk is
 * full when its disk monitor says so: {@link #maxDiskUsage} below the disk's usage makes it full, as on a gateway.
 */
final class ArtemisBroker implements Broker, AutoCloseable {

    private static final String URL = "vm://3";
    final ActiveMQServer server;
    private final Path data;
    private final Duration storeTimeout;

    ArtemisBroker(Path data, Duration storeTimeout) throws Exception {
        this.data = data;
        this.storeTimeout = storeTimeout;
        ConfigurationImpl c = new ConfigurationImpl();
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        c.setMaxDiskUsage(100);
        c.setBindingsDirectory(data.resolve("bindings").toString());
        c.setJournalDirectory(data.resolve("journal").toString());
        c.setPagingDirectory(data.resolve("paging").toString());
        c.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(data.toString());
        c.addAcceptorConfiguration("in-vm", URL);
        c.addAddressSetting("#", new AddressSettings().setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(1024 * 1024).setMaxDeliveryAttempts(-1));
        server = ActiveMQServers.newActiveMQServer(c, true);
        server.start();
    }

    /** Sets Artemis' max-disk-usage of the running broker and measures the disk at once. */
    void maxDiskUsage(int percent) {
        FileStoreMonitor m = ((ActiveMQServerImpl) server).getMonitor();
        m.setMaxUsage(percent / 100d);
        m.tick();
    }

    @Override
    public StorageState storage() {
        boolean full = server.getPagingManager().isDiskFull();
        int max = (int) Math.round(((ActiveMQServerImpl) server).getMonitor().getMaxUsage() * 100);
        return new StorageState(full, data, (int) (server.getDiskStoreUsage() * 100), max);
    }

    @Override
    public Duration storeTimeout() {
        return storeTimeout;
    }

    @Override
    public ServerLocator createLocator() {
        try {
            return ActiveMQClient.createServerLocator(URL).setBlockOnDurableSend(true)
                    .setCallTimeout(storeTimeout.toMillis()).setProducerWindowSize(-1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many messages a queue holds */
    long depth(String queue) {
        org.apache.activemq.artemis.core.server.Queue q = server.locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    @Override
    public Optional<String> acceptorUrl(String protocol) {
        return Optional.empty();
    }

    @Override
    public Optional<QueueStats> queueStats(String queue) {
        return Optional.empty();
    }

    @Override
    public long queueBytes(String queue) {
        return 0;
    }

    @Override
    public Optional<QueueDepth> queueDepth(String queue) {
        return Optional.empty();
    }

    @Override
    public long dropOldest(String queue, long bytes) {
        return 0;
    }

    @Override
    public boolean hasSubscribers(String address) {
        return false;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
