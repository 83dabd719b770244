/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.outpost.broker.api.Broker;

/** The Artemis configuration of the embedded broker, from its settings. */
final class BrokerConfiguration {

    private BrokerConfiguration() {
    }

    static Configuration of(BrokerSettings s) throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName(s.name());
        c.setPersistenceEnabled(true);
        c.setSecurityEnabled(true);
        // Every connection is authenticated afresh: revoked credentials stop working at once, and an in-VM session
        // without a user name is never answered from the cached refusal of a network client that gave none.
        c.setAuthenticationCacheSize(0);
        c.setJMXManagementEnabled(false);
        c.setJournalType(JournalType.NIO);
        c.setJournalDatasync(true);
        c.setJournalBufferTimeout_NIO(s.journalSyncMicros() * 1000);
        c.setMaxDiskUsage(s.maxDiskUsage());
        c.setBindingsDirectory(s.dataDirectory().resolve("bindings").toString());
        c.setJournalDirectory(s.dataDirectory().resolve("journal").toString());
        c.setPagingDirectory(s.dataDirectory().resolve("paging").toString());
        c.setLargeMessagesDirectory(s.dataDirectory().resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(s.dataDirectory().toString());
        // Messages past their time to live leave their queue within a second, not at the 30 s default scan.
        c.setMessageExpiryScanPeriod(1000);
        c.addAcceptorConfiguration("in-vm", Broker.IN_VM_URL);
        addAcceptor(c, "core", s.host(), s.corePort(), "CORE");
        addAcceptor(c, "mqtt", s.host(), s.mqttPort(), "MQTT");
        addAcceptor(c, "amqp", s.host(), s.amqpPort(), "AMQP");
        // Nothing Outpost stores is ever given up after a number of failed deliveries: the consumer retries.
        // Queues page to disk instead of filling memory, so long offline periods are normal.
        c.addAddressSetting("#", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(16L * 1024 * 1024)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true));
        ClientLimits limits = s.limits();
        if (!limits.clientAddressMatch().isEmpty() && limits.clientAddressMaxBytes() > 0) {
            // What network clients publish to their own topics, or have kept for them, is bounded per address: a send
            // past it fails (the client's PUBLISH is refused), rather than filling the disk for everyone.
            c.addAddressSetting(limits.clientAddressMatch(), new AddressSettings()
                    .setMaxDeliveryAttempts(-1)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
                    .setMaxSizeBytes(limits.clientAddressMaxBytes())
                    .setAutoCreateQueues(true)
                    .setAutoCreateAddresses(true));
        }
        return c;
    }

    private static void addAcceptor(ConfigurationImpl c, String name, String host, int port, String protocol)
            throws Exception {
        if (port != 0) {
            String h = host.contains(":") ? "[" + host + "]" : host;
            c.addAcceptorConfiguration(name, "tcp://" + h + ":" + port + "?protocols=" + protocol);
        }
    }
}
