/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.nio.file.Path;
import java.util.Map;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.commons.PlainTransport;

/**
 * The validated configuration of the embedded broker.
 *
 * @param name the broker name (JMX, logs)
 * @param host the address the network acceptors bind to
 * @param corePort the core protocol port, 0 for none
 * @param mqttPort the MQTT port, 0 for none
 * @param amqpPort the AMQP port, 0 for none
 * @param dataDirectory where the journal, bindings, paging and large messages live
 * @param maxDiskUsage the disk usage percentage above which producers are blocked
 * @param journalSyncMicros how long the journal gathers writes before one disk sync
 * @param limits what one network identity may hold
 * @param tls the key store the network acceptors serve TLS with, or null for plain acceptors
 * @param allowPlainOffLoopback whether plain acceptors may listen on an address that is not loopback
 */
record BrokerSettings(String name, String host, int corePort, int mqttPort, int amqpPort, Path dataDirectory,
        int maxDiskUsage, int journalSyncMicros, ClientLimits limits, AcceptorTls tls, boolean allowPlainOffLoopback) {

    /** Plain acceptors, on loopback only. */
    BrokerSettings(String name, String host, int corePort, int mqttPort, int amqpPort, Path dataDirectory,
            int maxDiskUsage, int journalSyncMicros, ClientLimits limits) {
        this(name, host, corePort, mqttPort, amqpPort, dataDirectory, maxDiskUsage, journalSyncMicros, limits, null,
                false);
    }

    static final String PID = "org.outpost.broker";

    /**
     * @param karafData where the journal is by default, and a gateway's certificate authority
     * @param karafEtc where a relative {@code tls.keystore} is
     */
    static BrokerSettings from(EmbeddedBroker.Config config, Map<String, ?> raw, Path karafData, Path karafEtc)
            throws InvalidConfigurationException {
        ConfigValues values = new ConfigValues(PID, config, raw);
        String name = values.get("name", config::name, n -> n.matches("[A-Za-z0-9_.-]{1,64}"),
                "1 to 64 letters, digits, '.', '-' or '_'");
        String host = values.get("host", config::host, h -> !h.isBlank(), "a host name or IP address to bind to");
        int core = values.get("core.port", config::core_port, BrokerSettings::isPort, "a port 1-65535, or 0 for none");
        int mqtt = values.get("mqtt.port", config::mqtt_port, BrokerSettings::isPort, "a port 1-65535, or 0 for none");
        int amqp = values.get("amqp.port", config::amqp_port, BrokerSettings::isPort, "a port 1-65535, or 0 for none");
        String dir = values.get("data.directory", config::data_directory, "a directory path");
        int disk = values.get("max.disk.usage", config::max_disk_usage, p -> p > 0 && p <= 100, "a percentage 1-100");
        int sync = values.get("journal.sync.us", config::journal_sync_us, t -> t >= 100 && t <= 100_000,
                "100 to 100000 microseconds");
        Path data = dir.isBlank() ? karafData.resolve("outpost").resolve("broker") : Path.of(dir);
        String keyStore = values.get("tls.keystore", config::tls_keystore, "a PKCS#12 key store, or empty");
        String password = values.get("tls.keystore.password", config::tls_keystore_password, "its password");
        boolean allowPlain = values.get(PlainTransport.ALLOW_KEY, config::allow_plain_off_loopback, "true or false");
        // A configured key store serves TLS on any address; the gateway's own only off loopback, where it must.
        AcceptorTls tls = !keyStore.isBlank() ? new AcceptorTls(karafEtc.resolve(keyStore), password,
                "tls.keystore") : PlainTransport.isLoopback(host) ? null : AcceptorTls.gatewayCa(karafData)
                        .orElse(null);
        return new BrokerSettings(name, host, core, mqtt, amqp, data, disk, sync, ClientLimits.from(values, config),
                tls, allowPlain);
    }

    /** @return whether it has a network acceptor (core, MQTT or AMQP) */
    boolean networked() {
        return corePort > 0 || mqttPort > 0 || amqpPort > 0;
    }

    private static boolean isPort(int port) {
        return port >= 0 && port <= 65535;
    }
}
