/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.commons.PlainTransport;

/**
 * The validated upstream configuration.
 *
 * @param url the cloud broker, {@code tcp://host:port} (loopback, unless {@code allow.plain.off.loopback}) or
 *            {@code ssl://host:port}
 * @param clientId the MQTT client id; empty means the device id
 * @param username the user name, empty for none
 * @param password the password or token, empty for none
 * @param topic the topic template
 * @param qos the MQTT QoS, 1 (at least once) by default
 * @param keepAliveSeconds the MQTT keep-alive
 * @param reconnectMinMs the first reconnect delay
 * @param reconnectMaxMs the cap of the reconnect delay
 * @param maxInflight how many messages may be published and not yet acknowledged by the cloud
 * @param sasKey the device key to make IoT Hub SAS tokens with (a new one at each connect), empty for none
 * @param sasHostName the hub's host name in SAS tokens and the IoT Hub user name
 * @param sasTokenHours how long each SAS token is valid
 * @param tlsCa PEM file of the certificates an ssl:// connection trusts, empty for the JVM's default
 * @param bandwidth batching, compression, rate limits and windows
 */
record UpstreamSettings(String url, String clientId, String username, String password, String topic, int qos,
        int keepAliveSeconds, long reconnectMinMs, long reconnectMaxMs, int maxInflight, String sasKey,
        String sasHostName, int sasTokenHours, String tlsCa, BandwidthSettings bandwidth) {

    /** Settings without bandwidth control. */
    UpstreamSettings(String url, String clientId, String username, String password, String topic, int qos,
            int keepAliveSeconds, long reconnectMinMs, long reconnectMaxMs, int maxInflight, String sasKey,
            String sasHostName, int sasTokenHours, String tlsCa) {
        this(url, clientId, username, password, topic, qos, keepAliveSeconds, reconnectMinMs, reconnectMaxMs,
                maxInflight, sasKey, sasHostName, sasTokenHours, tlsCa, BandwidthSettings.NONE);
    }

    /** @return these settings with other bandwidth control */
    UpstreamSettings withBandwidth(BandwidthSettings b) {
        return new UpstreamSettings(url, clientId, username, password, topic, qos, keepAliveSeconds, reconnectMinMs,
                reconnectMaxMs, maxInflight, sasKey, sasHostName, sasTokenHours, tlsCa, b);
    }

    static final String PID = "org.outpost.upstream";
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl");

    static UpstreamSettings from(UpstreamConnector.Config c, Map<String, ?> raw) throws InvalidConfigurationException {
        ConfigValues v = new ConfigValues(PID, c, raw);
        String url = v.get("url", c::url, UpstreamSettings::isBrokerUrl, "tcp://host:port or ssl://host:port");
        String clientId = v.get("client.id", c::client_id, id -> id.length() <= 128, "at most 128 characters");
        String username = v.get("username", c::username, "a user name");
        String password = v.get("password", c::password, "a password or token");
        String topic = v.get("topic", c::topic, t -> !t.isBlank() && !t.contains("#") && !t.contains("+"),
                "a topic template without wildcards, e.g. " + TopicTemplate.IOT_HUB_MODULE_EVENTS);
        int qos = v.get("qos", c::qos, q -> q == 0 || q == 1, "0 or 1");
        int keepAlive = v.get("keep.alive.seconds", c::keep_alive_seconds, k -> k >= 5 && k <= 3600, "5 to 3600");
        long min = v.get("reconnect.min.ms", c::reconnect_min_ms, m -> m >= 10, "at least 10");
        long max = v.get("reconnect.max.ms", c::reconnect_max_ms, m -> m >= min, "at least reconnect.min.ms");
        int maxInflight = v.get("max.inflight", c::max_inflight, n -> n >= 1 && n <= 65_000, "1 to 65000");
        String sasKey = v.get("sas.key", c::sas_key, "a device key (Base64), or empty");
        String sasHost = v.get("sas.host.name", c::sas_host_name, h -> !h.isBlank(), "the hub's host name");
        int sasHours = v.get("sas.token.hours", c::sas_token_hours, h -> h >= 1 && h <= 8760, "1 to 8760");
        String tlsCa = v.get("tls.ca", c::tls_ca, "a PEM file of certificates to trust, or empty");
        boolean allowPlain = v.get(PlainTransport.ALLOW_KEY, c::allow_plain_off_loopback, "true or false");
        Optional<String> plain = new PlainTransport().refuseClient("the upstream", url, allowPlain, "etc/" + PID
                + ".cfg");
        if (plain.isPresent()) {
            throw new InvalidConfigurationException(PID, "url", url, plain.get());
        }
        BandwidthSettings bandwidth = BandwidthSettings.from(v, c, raw, maxInflight);
        return new UpstreamSettings(url, clientId, username, password, topic, qos, keepAlive, min, max, maxInflight,
                sasKey, sasHost, sasHours, tlsCa, bandwidth);
    }

    /** @return these settings with other credentials */
    UpstreamSettings withCredentials(String sasKey, String password) {
        return new UpstreamSettings(url, clientId, username, password, topic, qos, keepAliveSeconds, reconnectMinMs,
                reconnectMaxMs, maxInflight, sasKey, sasHostName, sasTokenHours, tlsCa, bandwidth);
    }

    private static boolean isBrokerUrl(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() != null && SCHEMES.contains(u.getScheme()) && u.getHost() != null && u.getPort() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "UpstreamSettings[url=" + url + ", clientId=" + clientId + ", username=" + username + ", topic=" + topic
                + ", qos=" + qos + ", bandwidth=" + bandwidth + "]";
    }
}
