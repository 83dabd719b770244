/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.QueueStats;
import org.outpost.downstream.api.ChildScope;
import org.outpost.routing.api.Routing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream: an MQTT 3.1.1 connection to the cloud (reconnecting with capped exponential back-off) and a drain that
 * publishes the upstream endpoint queue into it. Up to {@code max.inflight} messages are published at once (QoS 1); a
 * message leaves the queue only after the cloud's PUBACK for it. When the connection breaks, every message not yet
 * acknowledged goes back to the head of the queue, in order, and is published again after the reconnect: nothing is
 * lost, and order is kept (a message the cloud had acknowledged just before the break may arrive twice).
 * <p>
 * This component holds the configuration and the service; the parts do the work: {@link UpstreamLink} is the
 * connection, {@link QueueDrain} the drain, and {@link CloudToDevice} stores what the cloud sends to module inputs.
 */
@Component(service = Upstream.class, configurationPid = UpstreamSettings.PID)
@Designate(ocd = UpstreamConnector.Config.class)
public final class UpstreamConnector implements Upstream {

    @ObjectClassDefinition(name = "Outpost upstream", description = "The gateway's MQTT connection to the cloud.")
    public @interface Config {
        @AttributeDefinition(description = "Cloud MQTT broker: ssl://host:port, or tcp://host:port on loopback (or"
                + " anywhere with allow.plain.off.loopback).")
        String url() default "tcp://127.0.0.1:1883";

        @AttributeDefinition(description = "MQTT client id; empty means the gateway's device id.")
        String client_id() default "";

        @AttributeDefinition(description = "User name (the device id at an Outpost hub); empty for none.")
        String username() default "";

        @AttributeDefinition(description = "Password or token; empty for none. Better: upstream.password in the"
                + " secrets file (secrets.file), which only the gateway's user can read.",
                type = AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Topic template; placeholders {deviceId}, {moduleId}, {outputName},"
                + " {properties}. Each message goes out under its sender: {deviceId} is its connectionDeviceId (a"
                + " leaf or child gateway below this one, or this gateway), {moduleId} its module; a device's own"
                + " message has none: modules/{moduleId}/ is left out, any other {moduleId} is empty.")
        String topic() default TopicTemplate.IOT_HUB_MODULE_EVENTS;

        @AttributeDefinition(description = "MQTT QoS: 1 = at least once (a message leaves the queue on PUBACK).")
        int qos() default 1;

        @AttributeDefinition(description = "MQTT keep-alive in seconds.")
        int keep_alive_seconds() default 30;

        @AttributeDefinition(description = "First reconnect delay (ms); doubles up to reconnect.max.ms.")
        long reconnect_min_ms() default 1000;

        @AttributeDefinition(description = "Longest reconnect delay (ms).")
        long reconnect_max_ms() default 10000;

        @AttributeDefinition(description = "Messages published and not yet acknowledged by the cloud, at most.")
        int max_inflight() default 256;

        @AttributeDefinition(description = "Device key for IoT Hub SAS tokens: when set, the password is a SAS token"
                + " made at each connect (and the user name, if empty, IoT Hub's <host>/<device>/?api-version=...)."
                + " Better: device.key in the secrets file (secrets.file).", type = AttributeType.PASSWORD)
        String sas_key() default "";

        @AttributeDefinition(description = "The gateway's owner-only secrets file (in ${karaf.etc} unless absolute;"
                + " empty for outpost-secrets/gateway.properties): its device.key makes the SAS tokens, its"
                + " upstream.password is the password for a plain MQTT broker.")
        String secrets_file() default "";

        @AttributeDefinition(description = "The hub's host name in SAS tokens.")
        String sas_host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Hours each SAS token is valid.")
        int sas_token_hours() default 1;

        @AttributeDefinition(description = "For ssl:// URLs: PEM file (in ${karaf.etc} unless absolute) of the"
                + " certificates to trust, e.g. the hub's own or its CA; empty trusts the JVM's default CAs.")
        String tls_ca() default "";

        @AttributeDefinition(description = "Let a tcp:// URL (no TLS) name a host that is not loopback: a trusted"
                + " network only, the gateway's credentials cross it in the clear.")
        boolean allow_plain_off_loopback() default false;

        @AttributeDefinition(description = "Batch messages: several of one sender in one publish (a JSON array the"
                + " Outpost hub unpacks). Needs an Outpost hub or parent gateway.")
        boolean batch_enabled() default false;

        @AttributeDefinition(description = "A batch is published when it holds this many messages (at most"
                + " max.inflight).")
        int batch_max_messages() default 100;

        @AttributeDefinition(description = "... or this many bytes of message bodies.")
        int batch_max_bytes() default 65536;

        @AttributeDefinition(description = "... or when its first message has waited this long (ms).")
        long batch_linger_ms() default 200;

        @AttributeDefinition(description = "Compression of publishes: none or gzip (decoded by the Outpost hub).")
        String compression() default "none";

        @AttributeDefinition(description = "Payloads smaller than this (bytes) are not compressed.")
        int compression_min_bytes() default 128;

        @AttributeDefinition(description = "Rate limit: messages a second, 0 for none. The backlog waits in the"
                + " store.")
        double rate_messages_per_second() default 0;

        @AttributeDefinition(description = "Rate limit: payload bytes a second, 0 for none.")
        double rate_bytes_per_second() default 0;

        @AttributeDefinition(description = "Messages that may go at once after a quiet time; 0: one second's worth.")
        double rate_burst_messages() default 0;

        @AttributeDefinition(description = "Bytes that may go at once after a quiet time; 0: one second's worth.")
        double rate_burst_bytes() default 0;

        @AttributeDefinition(description = "When the upstream may send, e.g. 22:00-06:00 or Mon-Fri 22:00-06:00,"
                + " Sat-Sun 00:00-24:00; empty: always. Outside them the backlog stays in the store.")
        String windows() default "";

        @AttributeDefinition(description = "The time zone of windows; empty: the gateway's.")
        String windows_time_zone() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);

    /** The devices below this gateway (downstream bundle), to drop messages of devices no longer below it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChildScope scope;

    private final Broker broker;
    private final UpstreamLink link;
    private final QueueDrain drain;
    private final AutoCloseable windowGauge;

    @Activate
    public UpstreamConnector(@Reference Broker broker, @Reference EdgeRuntime runtime, @Reference Metrics metrics,
            @Reference Routing routing, Config config, Map<String, Object> properties) {
        this.broker = broker;
        UpstreamSettings initial;
        try {
            initial = withSecrets(UpstreamSettings.from(config, properties), config);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; using the default upstream configuration until it is fixed", e.getMessage());
            initial = withSecrets(defaults(), config);
        }
        this.link = new UpstreamLink(initial, runtime::deviceId, new CloudToDevice(routing, runtime::deviceId));
        this.drain = new QueueDrain(broker, link, runtime::deviceId, this::isBelow, metrics);
        link.onConnectivity(new OfflineTracker(metrics, runtime::deviceId, System::nanoTime)::link);
        link.start();
        drain.start();
        this.windowGauge = metrics.measured("edgehub_upstream_window_open", "gauge", () -> Map.of(Map.of(),
                drain.bandwidth().windowOpen() ? 1.0 : 0.0));
    }

    /** @return whether a device is below this gateway in its device scope; true while it has none to tell */
    private boolean isBelow(String device) {
        ChildScope s = scope;
        return s == null || s.current().map(d -> d.isBelow(device, d.deviceId())).orElse(true);
    }

    private static UpstreamSettings withSecrets(UpstreamSettings s, Config config) {
        return UpstreamSecrets.resolve(s, Path.of(System.getProperty("karaf.etc", "etc")), config.secrets_file(),
                LOG::warn);
    }

    private static UpstreamSettings defaults() {
        try {
            return UpstreamSettings.from(ConfigValues.defaults(Config.class), Map.of());
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("the default upstream configuration is invalid", e);
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        UpstreamSettings next;
        try {
            next = withSecrets(UpstreamSettings.from(config, properties), config);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the upstream keeps its current configuration", e.getMessage());
            return;
        }
        if (next.equals(link.settings())) {
            return;
        }
        LOG.info("Upstream configuration changed: {}", next);
        link.reconfigure(next);
    }

    @Deactivate
    void deactivate() throws Exception {
        windowGauge.close();
        drain.close();
        link.stop();
    }

    @Override
    public Map<String, Object> bandwidth() {
        return BandwidthStatus.of(link.settings().bandwidth(), drain.bandwidth());
    }

    @Override
    public Map<String, String> routeBandwidth() {
        Map<String, String> out = new java.util.TreeMap<>();
        link.settings().bandwidth().routes().forEach((name, r) -> out.put(name, r.toString()));
        return out;
    }

    @Override
    public UpstreamStatus status() {
        UpstreamSettings s = link.settings();
        QueueStats q = broker.queueStats(QueueDrain.QUEUE).orElse(new QueueStats(QueueDrain.QUEUE, 0, 0, 0, 0, 0));
        return new UpstreamStatus(s.url(), link.clientId(), link.state(), q.messages(), drain.sent(),
                q.expired() + drain.expired(), link.connectedSince(), link.lastError(), link.lastErrorTime(),
                link.nextRetry());
    }
}
