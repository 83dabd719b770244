/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.protocol.IotHubTopic;
import org.outpost.protocol.SasToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@code $edgeAgent} twin at the hub, as IoT Edge's edgeAgent keeps it: connects as the module identity
 * {@code <device>/$edgeAgent} over the IoT Hub MQTT contract, reads the twin at each connect and on each desired patch,
 * applies its desired properties as the deployment (unless that version is the one applied last), and reports the
 * deployment status as its reported properties whenever it changes. Deployments persist on the gateway, so it keeps
 * running its last good deployment while the hub is away.
 */
@Component(service = {}, configurationPid = AgentTwin.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AgentTwin.Config.class)
public final class AgentTwin {

    static final String PID = "org.outpost.twin";
    static final String MODULE = "$edgeAgent";

    @ObjectClassDefinition(name = "Outpost cloud twins", description = "The gateway's twins at the hub's IoT Hub"
            + " endpoint; present only when this configuration exists.")
    public @interface Config {
        @AttributeDefinition(description = "The hub's IoT Hub endpoint, tcp://host:port.")
        String url() default "tcp://127.0.0.1:1885";

        @AttributeDefinition(description = "The hub's host name, as its SAS tokens name it.")
        String host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "The device key (from hub:device-create); SAS tokens are made with it.")
        String key();

        @AttributeDefinition(description = "Hours a SAS token is valid; a new one is made at each connect.")
        int token_hours() default 1;

        @AttributeDefinition(description = "Seconds between checks whether the deployment status changed.")
        int report_interval_seconds() default 5;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AgentTwin.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final Deployer deployer;
    private final String deviceId;
    private final Config config;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outpost-agent-twin");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastGetRid;
    private String lastReported;
    private java.util.Set<String> reportedModules = java.util.Set.of();
    private long reconnectDelayMs = 1000;

    @Activate
    public AgentTwin(@Reference Deployer deployer, @Reference EdgeRuntime runtime, Config config)
            throws MqttException {
        this.deployer = deployer;
        this.deviceId = runtime.deviceId();
        this.config = config;
        if (config.key() == null || config.key().isBlank()) {
            throw new IllegalArgumentException(PID + ": key is missing: give the device key from hub:device-create");
        }
        this.client = new MqttAsyncClient(config.url(), deviceId + "/" + MODULE, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("Twin connection to {} lost ({}); reconnecting", config.url(), cause.toString());
                lastReported = null;
                worker.schedule(AgentTwin.this::connect, 1, TimeUnit.SECONDS);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String body = new String(message.getPayload(), StandardCharsets.UTF_8);
                worker.execute(() -> received(topic, body));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        worker.execute(this::connect);
        worker.scheduleWithFixedDelay(this::reportIfChanged, config.report_interval_seconds(),
                Math.max(1, config.report_interval_seconds()), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.debug("Closing the twin client: {}", e.toString());
        }
    }

    private void connect() {
        if (!running || client.isConnected()) {
            return;
        }
        String resource = config.host_name() + "/devices/" + deviceId + "/modules/" + MODULE;
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setKeepAliveInterval(60);
        o.setUserName(config.host_name() + "/" + deviceId + "/" + MODULE + "/?api-version=2021-04-12");
        o.setPassword(SasToken.create(resource, config.key(), Instant.now().plus(Duration.ofHours(Math.max(1,
                config.token_hours())))).toCharArray());
        try {
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(new String[] {IotHubTopic.TWIN_RESPONSES, IotHubTopic.DESIRED_PATCHES},
                    new int[] {1, 1}).waitForCompletion(10_000);
            reconnectDelayMs = 1000;
            LOG.info("Twin {}/{} connected to {}", deviceId, MODULE, config.url());
            requestTwin();
        } catch (MqttException e) {
            LOG.warn("Cannot connect the twin {}/{} to {}: {}; trying again in {} s", deviceId, MODULE, config.url(),
                    e.getMessage(), reconnectDelayMs / 1000);
            worker.schedule(this::connect, reconnectDelayMs, TimeUnit.MILLISECONDS);
            reconnectDelayMs = Math.min(reconnectDelayMs * 2, 60_000);
        }
    }

    /** Asks for the whole twin: at connect, and after any desired patch (which also covers a gap in versions). */
    private void requestTwin() {
        String rid = Long.toString(requestIds.incrementAndGet());
        lastGetRid = rid;
        publish(new IotHubTopic.TwinGet(rid).format(), "");
    }

    private void received(String topic, String body) {
        IotHubTopic t;
        try {
            t = IotHubTopic.parse(topic).orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a twin message on '{}': {}", topic, e.getMessage());
            return;
        }
        if (t instanceof IotHubTopic.DesiredPatch) {
            requestTwin();
        } else if (t instanceof IotHubTopic.TwinResponse r && r.rid().equals(lastGetRid)) {
            if (r.status() == 200) {
                applyTwin(body);
            } else {
                LOG.warn("The hub answered the twin request with {}: {}", r.status(), body);
            }
        } else if (t instanceof IotHubTopic.TwinResponse r && r.status() >= 400) {
            LOG.warn("The hub refused a reported patch ({}): {}", r.status(), body);
        }
    }

    /** Applies the twin's desired properties as the deployment, unless they are the version applied last. */
    private void applyTwin(String twinJson) {
        try {
            JsonNode twin = JSON.readTree(twinJson);
            JsonNode desired = twin.path("desired");
            // What the hub holds as reported (also from before a restart): modules gone since are deleted there.
            java.util.Set<String> atHub = new java.util.HashSet<>();
            twin.path("reported").path("modules").fieldNames().forEachRemaining(atHub::add);
            reportedModules = java.util.Set.copyOf(atHub);
            lastReported = null;
            long version = desired.path("$version").asLong(0);
            if (!desired.has("modules") && !desired.has("schemaVersion")) {
                LOG.info("The {} twin has no deployment yet (desired version {})", MODULE, version);
                reportIfChanged();
                return;
            }
            DeploymentStatus now = deployer.status();
            if (version == now.lastDesiredVersion() && now.lastDesiredStatus() != null
                    && now.lastDesiredStatus().code() == 200) {
                // Applied already; a version that failed (e.g. the gateway stopped while applying it) is tried again.
                reportIfChanged();
                return;
            }
            ObjectNode manifest = JSON.createObjectNode();
            manifest.putObject("modulesContent").putObject(MODULE).set("properties.desired", desired);
            long t0 = System.nanoTime();
            DeploymentResult result = deployer.deploy(manifest.toString(), false);
            LOG.info("Applied {} desired version {} from the hub: {} {} in {} ms", MODULE, version, result.code(),
                    result.description(), (System.nanoTime() - t0) / 1_000_000);
            reportIfChanged();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("Cannot apply the {} twin from the hub: {}", MODULE, e.toString());
        }
    }

    /** Reports the deployment status, in IoT Edge's shape, when it differs from what was last reported. */
    private void reportIfChanged() {
        if (!client.isConnected()) {
            return;
        }
        try {
            DeploymentStatus status = deployer.status();
            String reported = JSON.writeValueAsString(status);
            if (!reported.equals(lastReported)) {
                // A merge patch keeps keys it does not name: modules no longer deployed are deleted with null.
                ObjectNode patch = (ObjectNode) JSON.readTree(reported);
                ObjectNode modules = patch.with("modules");
                reportedModules.stream().filter(m -> !status.modules().containsKey(m)).forEach(modules::putNull);
                publish(new IotHubTopic.ReportedPatch(Long.toString(requestIds.incrementAndGet())).format(),
                        patch.toString());
                lastReported = reported;
                reportedModules = java.util.Set.copyOf(status.modules().keySet());
            }
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("Cannot report the deployment status: {}", e.toString());
        }
    }

    private void publish(String topic, String body) {
        try {
            client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException e) {
            LOG.warn("Cannot send '{}' to the hub: {}", topic, e.getMessage());
        }
    }
}
