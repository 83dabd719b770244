/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.outpost.broker.api.Broker;
import org.outpost.commons.PlainTransport;

/**
 * The Artemis configuration of the broker's settings: the journal, the in-VM acceptor, and the network acceptors
 * (TLS with the settings' key store, if they have one); and the rule that plain network acceptors stay on loopback
 * unless allowed.
 */
final class BrokerConfiguration {

    private BrokerConfiguration() {
    }

    /**
     * @return why the settings' network acceptors must not start: plain (no key store) on an address that is not
     *         loopback, without {@code allow.plain.off.loopback}
     */
    static Optional<String> plainRefusal(BrokerSettings s) {
        if (s.tls() != null || !s.networked()) {
            return Optional.empty();
        }
        int port = s.mqttPort() > 0 ? s.mqttPort() : s.corePort() > 0 ? s.corePort() : s.amqpPort();
        return new PlainTransport().refuseListener("the broker's network acceptors (core, MQTT, AMQP)", s.host(),
                port, s.allowPlainOffLoopback(), "etc/" + BrokerSettings.PID + ".cfg", "set tls.keystore and"
                        + " tls.keystore.password (a gateway uses its own server certificate once org.outpost.identity"
                        + " has made it in ${karaf.data}/outpost/ca), set the ports to 0");
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
        addAcceptor(c, "core", s.host(), s.corePort(), "CORE", s.tls());
        addAcceptor(c, "mqtt", s.host(), s.mqttPort(), "MQTT", s.tls());
        addAcceptor(c, "amqp", s.host(), s.amqpPort(), "AMQP", s.tls());
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

    private static void addAcceptor(ConfigurationImpl c, String name, String host, int port, String protocol,
            AcceptorTls tls) {
        if (port != 0) {
            Map<String, Object> params = new HashMap<>();
            params.put(TransportConstants.HOST_PROP_NAME, host);
            params.put(TransportConstants.PORT_PROP_NAME, port);
            params.put(TransportConstants.PROTOCOLS_PROP_NAME, protocol);
            if (tls != null) {
                params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
                params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12");
                params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, tls.keyStore().toString());
                params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, tls.password());
                // A renewed certificate (the gateway's is renewed before it expires) is served to new connections.
                params.put(TransportConstants.SSL_AUTO_RELOAD_PROP_NAME, true);
            }
            c.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, name));
        }
    }
}
