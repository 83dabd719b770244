/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.api.message.Message;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.DirectStore;
import org.outpost.commons.DaemonThreads;
import org.outpost.routing.api.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a selected set of the gateway's metrics to the cloud, as IoT Edge's metrics-collector module does: every
 * {@code interval.seconds} the selected {@link Metrics#samples()} become one message ({@link MetricsMessages}), stored
 * in the {@code $upstream} endpoint's queue (store and forward) at a low priority with a time to live, so that the
 * upstream drain sends it when the cloud is reachable, after the messages of higher priority, and drops it when it
 * waited too long. The messages go in beside the routes (no route is needed), and do not count against the endpoint's
 * size bound: their time to live bounds them.
 */
@Component(configurationPid = MetricsUploadSettings.PID)
@Designate(ocd = MetricsUpload.Config.class)
public final class MetricsUpload {

    @ObjectClassDefinition(name = "Outpost metrics upload", description = "Sends a selected set of the gateway's"
            + " metrics to the hub, as IoT Edge's metrics-collector module does.")
    public @interface Config {
        @AttributeDefinition(description = "Upload metrics.")
        boolean enabled() default true;

        @AttributeDefinition(description = "Seconds between two uploads.")
        int interval_seconds() default 60;

        @AttributeDefinition(description = "The metrics to upload: names or globs (* any characters, ? one),"
                + " separated by commas or spaces.")
        String metrics() default MetricsUploadSettings.DEFAULT_METRICS;

        @AttributeDefinition(description = "Seconds a metrics message may wait for the cloud before it is dropped.")
        long time_to_live_seconds() default 86_400;

        @AttributeDefinition(description = "Route priority of the metrics messages, 0 (highest) to 9 (lowest).")
        int priority() default 9;

        @AttributeDefinition(description = "The module the metrics messages are sent from.")
        String module_id() default "metricscollector";

        @AttributeDefinition(description = "Largest message body in bytes; more metrics go into several messages.")
        int max_message_bytes() default 225_000;
    }

    /** The queue of the {@code $upstream} endpoint, which the drain publishes. */
    static final String QUEUE = QueueDrain.QUEUE;

    private static final Logger LOG = LoggerFactory.getLogger(MetricsUpload.class);

    private final Broker broker;
    private final Metrics metrics;
    private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("outpost-metrics-upload"));
    private volatile MetricsUploadSettings settings;
    private ScheduledFuture<?> task;
    private volatile String lastFailure = "";

    @Activate
    public MetricsUpload(@Reference Broker broker, @Reference Metrics metrics, Config config,
            Map<String, Object> properties) {
        this.broker = broker;
        this.metrics = metrics;
        MetricsUploadSettings s;
        try {
            s = MetricsUploadSettings.from(config, properties);
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; metrics are uploaded with the defaults until it is fixed", e.getMessage());
            s = defaults();
        }
        apply(s);
    }

    private static MetricsUploadSettings defaults() {
        try {
            return MetricsUploadSettings.from(ConfigValues.defaults(Config.class), Map.of());
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("the default metrics upload configuration is invalid", e);
        }
    }

    @Modified
    void modified(Config config, Map<String, Object> properties) {
        try {
            MetricsUploadSettings next = MetricsUploadSettings.from(config, properties);
            if (!next.equals(settings)) {
                apply(next);
            }
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the metrics upload keeps its current configuration", e.getMessage());
        }
    }

    private synchronized void apply(MetricsUploadSettings s) {
        settings = s;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (s.enabled()) {
            long ms = s.interval().toMillis();
            task = scheduler.scheduleWithFixedDelay(this::uploadLogged, ms, ms, TimeUnit.MILLISECONDS);
            LOG.info("Uploading metrics every {} s ({} patterns, priority {}, time to live {} s)",
                    s.interval().toSeconds(), s.selectors().size(), s.priority(), s.timeToLive().toSeconds());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void uploadLogged() {
        try {
            int stored = upload(Instant.now());
            if (!lastFailure.isEmpty()) {
                LOG.info("Metrics upload works again ({} messages stored)", stored);
                lastFailure = "";
            }
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!why.equals(lastFailure)) {
                // Logged when the reason changes, not every interval; the next upload tries again.
                LOG.warn("Metrics could not be stored for the upstream ({}); trying again in {} s", why,
                        settings.interval().toSeconds());
                lastFailure = why;
            }
        }
    }

    /**
     * Stores the selected metrics of now for the upstream, in one message (several if they are larger than
     * {@code max.message.bytes}).
     *
     * @return how many messages were stored
     * @throws Exception if the broker refused one (full disk, timeout): the next upload tries again
     */
    int upload(Instant now) throws Exception {
        MetricsUploadSettings s = settings;
        List<MetricSample> selected = metrics.samples().stream().filter(m -> s.selects(m.name())).toList();
        List<byte[]> bodies = MetricsMessages.bodies(MetricsMessages.values(selected), now, s.maxMessageBytes());
        for (byte[] body : bodies) {
            store(MetricsMessages.message(body, s.moduleId(), now), s.brokerPriority(), s.timeToLive().toMillis());
        }
        return bodies.size();
    }

    /** Stores a message in the upstream queue; its time to live counts from now, as a routed message's does. */
    private void store(Message message, int priority, long timeToLiveMs) throws Exception {
        broker.requireStorage();
        Map<String, String> headers = MessageHeaders.of(message);
        long now = System.currentTimeMillis();
        long expiration = now + timeToLiveMs;
        long wait = broker.storeTimeout().toMillis();
        DirectStore direct = broker.directStore().orElse(null);
        if (direct != null && message.body().length <= DirectStore.MAX_BODY_BYTES) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            direct.store(0, message.body(), headers, now, List.of(new DirectStore.Copy(QUEUE, priority,
                    expiration)), e -> {
                        if (e == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(e);
                        }
                    });
            done.get(wait, TimeUnit.MILLISECONDS);
            return;
        }
        try (ServerLocator locator = broker.createLocator().setBlockOnDurableSend(true).setCallTimeout(wait);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(true, true)) {
            if (!session.queueQuery(SimpleString.of(QUEUE)).isExists()) {
                try {
                    session.createQueue(QueueConfiguration.of(QUEUE).setRoutingType(RoutingType.ANYCAST)
                            .setDurable(true));
                } catch (org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException e) {
                    // The drain created it meanwhile.
                }
            }
            ClientMessage cm = session.createMessage(ClientMessage.BYTES_TYPE, true);
            cm.getBodyBuffer().writeBytes(message.body());
            headers.forEach(cm::putStringProperty);
            cm.setTimestamp(now);
            cm.setPriority((byte) priority);
            cm.setExpiration(expiration);
            try (ClientProducer producer = session.createProducer(QUEUE)) {
                producer.send(cm);
            }
        }
    }
}
