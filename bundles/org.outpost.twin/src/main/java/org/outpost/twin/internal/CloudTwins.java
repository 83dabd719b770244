/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.health.Checks;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.DaemonThreads;
import org.outpost.commons.GatewaySecrets;
import org.outpost.commons.PlainTransport;
import org.outpost.deployment.api.Deployer;
import org.outpost.downstream.api.ChildScope;
import org.outpost.downstream.api.HubLink;
import org.outpost.deployment.api.DeploymentResult;
import org.outpost.deployment.api.DeploymentStatus;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.AgentMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's runtime twins at the hub, as IoT Edge keeps them:
 * <ul>
 * <li>{@code $edgeAgent}: its desired properties are the deployment, applied unless that version is the one last
 * applied successfully; its reported properties are the deployment status;</li>
 * <li>{@code $edgeHub}: its desired properties are the routes (and store-and-forward settings), applied by the router;
 * it reports the version it applied and whether the routes were accepted.</li>
 * </ul>
 * and each module's own twin ({@link ModuleTwins}), with its direct methods: bundle, process and container modules
 * alike, each connecting with its own identity's key ({@link ModuleTwinClients}) once the hub holds that identity,
 * which the gateway registers over {@code $edgeAgent}'s connection ({@link HubRegistration}). {@code $edgeAgent} and
 * {@code $edgeHub} connect with the device key.
 * Deployments, routes and module twins persist on the gateway, so it keeps running them while the hub is away, and
 * converges to the latest desired versions when it is back.
 */
@Component(service = {}, configurationPid = CloudTwins.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CloudTwins.Config.class)
public final class CloudTwins {

    static final String PID = "org.outpost.twin";

    @ObjectClassDefinition(name = "Outpost cloud twins", description = "The gateway's $edgeAgent and $edgeHub twins"
            + " at the hub's IoT Hub endpoint; present only when this configuration exists.")
    public @interface Config {
        @AttributeDefinition(description = "The hub's IoT Hub endpoint, ssl://host:8883 (or tcp://host:port on"
                + " loopback, or elsewhere with allow.plain.off.loopback).")
        String url() default "tcp://127.0.0.1:1885";

        @AttributeDefinition(description = "Let a tcp:// URL (no TLS) name a host that is not loopback: a trusted"
                + " network only, SAS tokens cross it in the clear.")
        boolean allow_plain_off_loopback() default false;

        @AttributeDefinition(description = "The hub's host name, as its SAS tokens name it.")
        String host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "The device key (from hub:device-create), if not in the secrets file:"
                + " better there (device.key), as only the gateway's user can read it.")
        String key() default "";

        @AttributeDefinition(description = "The gateway's owner-only secrets file (in ${karaf.etc} unless absolute;"
                + " empty for outpost-secrets/gateway.properties): its device.key makes the SAS tokens.")
        String secrets_file() default "";

        @AttributeDefinition(description = "Hours a SAS token is valid; a new one is made at each connect.")
        int token_hours() default 1;

        @AttributeDefinition(description = "For ssl:// URLs: PEM file (in ${karaf.etc} unless absolute) of the"
                + " certificates to trust, e.g. the hub's own or its CA; empty trusts the JVM's default CAs.")
        String tls_ca() default "";

        @AttributeDefinition(description = "Seconds between checks whether the reported properties changed.")
        int report_interval_seconds() default 5;

        @AttributeDefinition(description = "Seconds between runs of the gateway's health checks for $edgeAgent's"
                + " reported health (some ask an NTP server or the hub: not too often).")
        int health_interval_seconds() default 60;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CloudTwins.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final Deployer deployer;
    private final Routing routing;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-cloud-twins"));
    /** Direct methods run here, so that a slow one does not hold up twins. */
    private final java.util.concurrent.ThreadPoolExecutor methodRunner = new java.util.concurrent.ThreadPoolExecutor(
            0, 8, 60, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            DaemonThreads.named("outpost-cloud-methods"));
    private final TwinClient agent;
    private final TwinClient hub;
    private final EdgeRuntime runtime;
    private final ModuleTwins twins;
    private final ModuleTwinClients moduleClients;
    private final HubRegistration registration;
    /** The device scope over $edgeHub's connection, for the downstream bundle's children. */
    private final ScopeSync scopeSync;
    private volatile ChildScope childScope;
    private final ServiceRegistration<HubLink> hubLink;
    /** The $edgeHub version applied last, and its outcome; 0 and null before the first. */
    private long routesVersion;
    private ObjectNode routesStatus;
    /** {@code $edgeAgent}'s methods contributed as services, by name. */
    private final Map<String, AgentMethod> agentMethods = new ConcurrentHashMap<>();
    /** The gateway's health checks' last result, reported as {@code health} (when the checks service is there). */
    private final HealthReport health;

    @Activate
    public CloudTwins(@Reference Deployer deployer, @Reference Routing routing, @Reference EdgeRuntime runtime,
            @Reference ModuleTwins twins, @Reference ModuleIdentities identities, Config config,
            BundleContext context) throws MqttException, IOException {
        this.deployer = deployer;
        this.routing = routing;
        this.runtime = runtime;
        this.twins = twins;
        this.health = new HealthReport(JSON, Math.max(1, config.health_interval_seconds()));
        checkUrl(config);
        String deviceKey = deviceKey(config, Path.of(System.getProperty("karaf.etc", "etc")));
        String device = runtime.deviceId();
        this.moduleClients = new ModuleTwinClients(runtime, identities, (module, key, refused) -> new TwinClient(
                device, module, key, config, new ModuleTwinHandler(module, twins, JSON, refused), TwinClient.NONE,
                JSON, worker, methodRunner), this::registerAgain, Duration.ofSeconds(10),
                Duration.ofMinutes(10));
        this.registration = new HubRegistration(identities, JSON, worker, moduleClients::sync,
                HubRegistration.ANSWER_TIMEOUT, Duration.ofSeconds(10), Duration.ofMinutes(10));
        this.agent = new TwinClient(device, "$edgeAgent", deviceKey, config, new TwinClient.Handler() {
            @Override
            public void apply(JsonNode twin) {
                applyDeployment(twin.path("desired"));
            }

            @Override
            public ObjectNode reported() {
                return agentReported();
            }

            @Override
            public TwinClient.MethodAnswer call(String method, JsonNode payload) throws Exception {
                return agentMethod(method, payload);
            }
        }, registration, JSON, worker, methodRunner);
        this.scopeSync = new ScopeSync(() -> Optional.ofNullable(childScope), JSON, ScopeSync.ANSWER_TIMEOUT);
        this.hub = new TwinClient(device, "$edgeHub", deviceKey, config, new TwinClient.Handler() {
            @Override
            public void apply(JsonNode twin) {
                applyRoutes(twin.path("desired"));
            }

            @Override
            public ObjectNode reported() {
                ObjectNode r = JSON.createObjectNode();
                r.put("lastDesiredVersion", routesVersion);
                r.set("lastDesiredStatus", routesStatus);
                return r;
            }
        }, scopeSync, JSON, worker, methodRunner);
        // The children's relay connects where the twins do (registered by hand: no config property, no key, on it).
        this.hubLink = context.registerService(HubLink.class, new CloudHubLink(device, config, Path.of(System
                .getProperty("karaf.etc", "etc"))), null);
        twins.onReportedChange(module -> worker.execute(() -> moduleClients.client(module)
                .ifPresent(TwinClient::report)));
        worker.execute(moduleClients::sync);
        long every = Math.max(1, config.report_interval_seconds());
        worker.scheduleWithFixedDelay(() -> {
            moduleClients.sync();
            registration.sendPending();
            scopeSync.request();
            agent.report();
            hub.report();
            moduleClients.reportAll();
        }, every, every, TimeUnit.SECONDS);
        health.start();
    }

    /**
     * @return the device key: from the configuration (with a warning to move it), else from the secrets file
     * @throws IllegalArgumentException if there is none, or the secrets file cannot be read, saying what to do
     */
    static String deviceKey(Config config, Path etc) {
        GatewaySecrets secrets;
        try {
            secrets = GatewaySecrets.read(etc, config.secrets_file());
        } catch (IOException e) {
            throw new IllegalArgumentException(PID + ": cannot read the gateway's secrets: " + e.getMessage(), e);
        }
        if (config.key() != null && !config.key().isBlank()) {
            LOG.warn("{}", secrets.moveWarning(PID, "key", GatewaySecrets.DEVICE_KEY));
            return config.key().strip();
        }
        return secrets.get(GatewaySecrets.DEVICE_KEY).orElseThrow(() -> new IllegalArgumentException(PID + ": no"
                + " device key: put the key from hub:device-create in " + secrets.file() + " as "
                + GatewaySecrets.DEVICE_KEY + " = ... (owner-only: chmod 600)"));
    }

    /**
     * @throws IllegalArgumentException if the URL is tcp:// to a host off loopback, without
     *             {@code allow.plain.off.loopback}: saying what to set instead
     */
    static void checkUrl(Config config) {
        Optional<String> plain = new PlainTransport().refuseClient("the gateway's twins", config.url(),
                config.allow_plain_off_loopback(), "etc/" + PID + ".cfg");
        if (plain.isPresent()) {
            throw new IllegalArgumentException(PID + ": " + plain.get());
        }
    }

    /** The downstream bundle's scope came: ask the hub for the scope (if $edgeHub is connected). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindChildScope(ChildScope scope) {
        childScope = scope;
        try {
            worker.execute(scopeSync::request);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.debug("The twins are stopping: the device scope is asked for at their next start");
        }
    }

    void unbindChildScope(ChildScope scope) {
        if (childScope == scope) {
            childScope = null;
        }
    }

    /** The gateway's health checks: their result goes into {@code $edgeAgent}'s reported {@code health}. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindChecks(Checks checks) {
        health.bind(checks);
    }

    void unbindChecks(Checks checks) {
        health.unbind(checks);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        hubLink.unregister();
        health.close();
        twins.onReportedChange(null);
        registration.close();
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        methodRunner.shutdownNow();
        agent.close();
        hub.close();
        moduleClients.close();
    }

    /** The hub refused a module's twin though it held its identity by our books: the registration sends it again. */
    private void registerAgain(String module) {
        registration.registerAgain(module);
    }

    /** edgeAgent's direct methods: the built-in ping, RestartModule, GetModuleLogs, then those of {@link AgentMethod}s. */
    private TwinClient.MethodAnswer agentMethod(String method, JsonNode payload) throws Exception {
        switch (method) {
            case "ping":
                return new TwinClient.MethodAnswer(200, "null");
            case "RestartModule": {
                String id = payload.path("id").asText("");
                if (id.isEmpty()) {
                    throw new IllegalArgumentException("RestartModule needs {\"schemaVersion\": \"1.0\", \"id\":"
                            + " \"<module>\"}");
                }
                deployer.restart(id);
                return new TwinClient.MethodAnswer(200, "null");
            }
            case "GetModuleLogs":
                return new TwinClient.MethodAnswer(200, GetModuleLogs.answer(payload, deployer, runtime));
            default:
                AgentMethod contributed = agentMethods.get(method);
                if (contributed == null) {
                    return null;
                }
                AgentMethod.Answer answer = contributed.invoke(payload == null || payload.isMissingNode() ? null
                        : payload.toString());
                return new TwinClient.MethodAnswer(answer.status(), answer.json() == null ? "null" : answer.json());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addAgentMethod(AgentMethod method, Map<String, Object> properties) {
        if (properties.get(AgentMethod.NAME) instanceof String name && !name.isBlank()) {
            agentMethods.put(name, method);
        } else {
            LOG.warn("An $edgeAgent method service without its name ({}) is ignored", AgentMethod.NAME);
        }
    }

    void removeAgentMethod(AgentMethod method, Map<String, Object> properties) {
        if (properties.get(AgentMethod.NAME) instanceof String name) {
            agentMethods.remove(name, method);
        }
    }

    /**
     * {@code $edgeAgent}'s reported properties: the deployment status (IoT Edge's shape), with every module the gateway
     * runs, not only the deployment's: a module dropped into {@code deploy/} is reported too, with
     * {@code "managed": false} (and the deployment's own with {@code "managed": true}).
     */
    ObjectNode agentReported() {
        ObjectNode reported = JSON.valueToTree(deployer.status());
        ObjectNode modules = reported.withObjectProperty("modules");
        modules.fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("managed", true));
        for (org.outpost.api.runtime.ModuleInfo m : runtime.modules()) {
            if (!modules.has(m.name())) {
                modules.putObject(m.name()).put("type", m.type()).put("version", m.version())
                        .put("runtimeStatus", m.state().name().toLowerCase(java.util.Locale.ROOT))
                        .put("statusDescription", m.reason()).put("managed", false);
            }
        }
        health.current().ifPresent(h -> reported.set("health", h));
        return reported;
    }

    private void applyDeployment(JsonNode desired) {
        long version = desired.path("$version").asLong(0);
        if (!desired.has("modules") && !desired.has("schemaVersion")) {
            LOG.info("The $edgeAgent twin has no deployment yet (desired version {})", version);
            return;
        }
        DeploymentStatus now = deployer.status();
        if (version == now.lastDesiredVersion() && now.lastDesiredStatus() != null
                && now.lastDesiredStatus().code() == 200) {
            // Applied already; a version that failed (e.g. the gateway stopped while applying it) is tried again.
            return;
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.putObject("modulesContent").putObject("$edgeAgent").set("properties.desired", desired);
        DeploymentResult result = deployer.deploy(manifest.toString(), false);
        LOG.info("Applied $edgeAgent desired version {} from the hub: {} {} in {} ms", version, result.code(),
                result.description(), result.millis());
    }

    private void applyRoutes(JsonNode desired) {
        long version = desired.path("$version").asLong(0);
        if (!desired.has("routes") || version == routesVersion) {
            return;
        }
        ObjectNode section = ((ObjectNode) desired).deepCopy();
        section.remove("$version");
        ObjectNode status = JSON.createObjectNode();
        try {
            routing.setCloudRoutes(section.toString(), version);
            status.put("code", 200).put("description", "");
            LOG.info("Applied $edgeHub desired version {} from the hub: {} routes", version, section.path("routes")
                    .size());
        } catch (IllegalArgumentException e) {
            // A bad route set changes nothing: the running routes stay, and the hub hears why.
            status.put("code", 400).put("description", e.getMessage());
            LOG.error("Refused $edgeHub desired version {} from the hub: {}", version, e.getMessage());
        } catch (java.io.IOException e) {
            status.put("code", 500).put("description", e.getMessage());
            LOG.error("Cannot store $edgeHub desired version {}: {}", version, e.getMessage());
        }
        routesVersion = version;
        routesStatus = status;
    }
}
