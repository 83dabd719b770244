/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.module.DesiredPropertiesListener;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleResources;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.outpost.commons.Listeners;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.DesiredChangeListener;
import org.outpost.twin.api.GatewayTwins;
import org.outpost.twin.api.ModuleMethodEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module twins of this gateway, one file each under {@code ${karaf.data}/outpost/twins} ({@link TwinRepository}):
 * the desired properties as the cloud holds them, the desired properties last applied to the module, and the reported
 * properties, which the module owns.
 * <p>
 * Applying desired properties: they are checked against the module's Metatype definition of its configuration PID
 * (the deployment's {@code settings.pid}, else the one PID the module's bundle defines, else
 * {@code org.outpost.module.<id>}) when it has one, then given to the module as that configuration
 * ({@link DesiredApplier}), then told to its {@link DesiredPropertiesListener}s as a merge patch from what it had
 * ({@link TwinNotifier}). Desired properties that do not fit reach nothing; the module keeps what it had. Either way
 * the outcome goes into the reported properties under {@value #STATUS_KEY}:
 * {@code {"lastDesiredVersion": n, "lastDesiredStatus": {"code": 200|400, "description"}}}.
 * <p>
 * Every module the runtime reports has a twin: bundle modules, and the process and container modules that connect
 * over the gateway's IoT Hub endpoint. Those own their reported properties and apply their desired properties
 * themselves: their desired properties are stored and told to the {@link DesiredChangeListener}s only (no Config
 * Admin, no {@value #STATUS_KEY} key). Every desired change of any module is told to those listeners.
 * <p>
 * Changes to reported properties go to the router as {@code /twinChangeNotifications} messages. Direct methods go to
 * the modules' {@link MethodHandler}s, or through a {@link ModuleMethodEndpoint} ({@link MethodRegistry}).
 */
@Component(service = {GatewayTwins.class, ModuleTwins.class}, configurationPid = ModuleTwins.PID)
@Designate(ocd = ModuleTwins.Config.class)
public final class ModuleTwins implements GatewayTwins {

    static final String PID = "org.outpost.twin.modules";

    @ObjectClassDefinition(name = "Outpost module twins", description = "Limits of the module twins the gateway keeps;"
            + " a patch over one is refused whole with its path.")
    public @interface Config {
        @AttributeDefinition(description = "Largest desired or reported section, in KB (IoT Hub: 32).")
        int max_section_kb() default 32;

        @AttributeDefinition(description = "Deepest nesting of objects (IoT Hub: 10).")
        int max_depth() default 10;

        @AttributeDefinition(description = "Largest string value, in KB (IoT Hub: 4).")
        int max_value_kb() default 4;

        @AttributeDefinition(description = "Largest key, in bytes (IoT Hub: 1024).")
        int max_key_bytes() default 1024;
    }

    /** The reported key under which the gateway says what became of the desired properties. */
    static final String STATUS_KEY = "outpost";

    private static final Logger LOG = LoggerFactory.getLogger(ModuleTwins.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The desired version last refused per module, so that the same refusal is logged once, not at each read. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();
    private final EdgeRuntime runtime;
    private final TwinLimits limits;
    private final TwinRepository repository;
    private final DesiredApplier applier;
    private final TwinNotifier notifier;
    private final MethodRegistry methods;
    private final Listeners<DesiredChangeListener> desiredListeners = new Listeners<>("desired changes");

    @Activate
    public ModuleTwins(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference ModuleConfigurations configurations, @Reference Routing routing,
            @Reference EdgeRuntime runtime, Config config) throws IOException {
        this(runtime, TwinLimits.of(config.max_section_kb(), config.max_depth(), config.max_value_kb(),
                config.max_key_bytes()), new TwinRepository(Path.of(System.getProperty("karaf.data", "data"),
                        "outpost", "twins")),
                new DesiredApplier(configurations::target, configurationAdmin),
                new ModuleServices(context), routing);
    }

    private ModuleTwins(EdgeRuntime runtime, TwinLimits limits, TwinRepository repository, DesiredApplier applier,
            ModuleServices services, Routing routing) {
        this(runtime, limits, repository, applier, new TwinNotifier(services, routing, runtime),
                new MethodRegistry(services, module -> bundleModule(runtime, module)));
    }

    /** Made of its parts. */
    ModuleTwins(EdgeRuntime runtime, TwinLimits limits, TwinRepository repository, DesiredApplier applier,
            TwinNotifier notifier, MethodRegistry methods) {
        this.runtime = runtime;
        this.limits = limits;
        this.repository = repository;
        this.applier = applier;
        this.notifier = notifier;
        this.methods = methods;
    }

    /** The runtime's per-module accounting: listeners' and method handlers' calls are their modules' time. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindResources(ModuleResources resources) {
        notifier.services().measureWith(resources);
    }

    void unbindResources(ModuleResources resources) {
        if (notifier.services().measuredWith() == resources) {
            notifier.services().measureWith(null);
        }
    }

    @Deactivate
    void deactivate() {
        notifier.close();
        methods.close();
    }

    // The whiteboards keep service references and get the services only when they call them (ModuleServices): a
    // module's component that is a listener or method handler and also uses its ModuleTwin must not be activated
    // from here.
    @Reference(service = DesiredPropertiesListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addListener(ServiceReference<DesiredPropertiesListener> ref) {
        notifier.addListener(ref);
    }

    void removeListener(ServiceReference<DesiredPropertiesListener> ref) {
        notifier.removeListener(ref);
    }

    @Reference(service = MethodHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addMethod(ServiceReference<MethodHandler> ref) {
        methods.addMethod(ref);
    }

    void removeMethod(ServiceReference<MethodHandler> ref) {
        methods.removeMethod(ref);
    }

    // The IoT Hub endpoint that offers ModuleMethodEndpoint uses these twins: held by reference too.
    @Reference(service = ModuleMethodEndpoint.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addEndpoint(ServiceReference<ModuleMethodEndpoint> ref) {
        methods.addEndpoint(ref);
    }

    void removeEndpoint(ServiceReference<ModuleMethodEndpoint> ref) {
        methods.removeEndpoint(ref);
    }

    /**
     * @return whether the module is a bundle (its desired properties are its configuration), not a module connecting
     *         over the IoT Hub endpoint; a module the runtime does not know (any more) is taken for a bundle
     */
    static boolean bundleModule(EdgeRuntime runtime, String module) {
        return runtime.module(module).map(m -> m.bundleId() >= 0).orElse(true);
    }

    @Override
    public AutoCloseable onDesiredChange(DesiredChangeListener listener) {
        return desiredListeners.subscribe(listener);
    }

    /** @param listener told the module id whenever a module's reported properties change */
    void onReportedChange(Consumer<String> listener) {
        notifier.onReportedChange(listener);
    }

    @Override
    public List<String> modules() {
        Set<String> all = new TreeSet<>(repository.modules());
        runtime.modules().stream().map(ModuleInfo::name).forEach(all::add);
        return new ArrayList<>(all);
    }

    @Override
    public Optional<String> twin(String module) {
        if (!repository.has(module) && runtime.module(module).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(document(module).toJson());
    }

    /** @return the module's twin, empty if it has none yet */
    TwinDocument document(String module) {
        return repository.get(module).twin();
    }

    @Override
    public long patchReported(String module, String patchJson) {
        if (!ModuleNames.isValid(module) || !repository.has(module) && runtime.module(module).isEmpty()) {
            throw new IllegalArgumentException("no module '" + module + "' on this gateway (edge:list shows them)");
        }
        return reported(module, patchJson);
    }

    /** Patches the reported properties of a module; see {@link org.outpost.api.module.ModuleTwin#patchReported}. */
    long reported(String module, String patchJson) {
        TwinDocument next;
        synchronized (this) {
            StoredTwin s = repository.get(module);
            next = s.twin().patchReported(patchJson, limits);
            repository.save(module, s.withTwin(next));
        }
        notifier.reportedChanged(module, patchJson, next.reportedVersion());
        return next.reportedVersion();
    }

    /**
     * A desired patch from the cloud, applied if it is the next version; otherwise the caller reads the whole twin.
     *
     * @return whether it was the next version (and so was taken)
     */
    boolean desiredPatch(String module, String patchJson, long version) {
        synchronized (this) {
            StoredTwin s = repository.get(module);
            if (version != s.twin().desiredVersion() + 1) {
                return false;
            }
            apply(module, s.withTwin(s.twin().patchDesired(patchJson, limits)));
        }
        return true;
    }

    /** The desired properties as the cloud holds them, read whole (after a reconnect or a missed version). */
    void desiredWhole(String module, String desiredJson, long version) {
        synchronized (this) {
            StoredTwin s = repository.get(module);
            apply(module, s.withTwin(s.twin().withDesired(desiredJson, version, limits)));
        }
    }

    /** Applies the twin's desired properties to the module if they differ from what it has; under the lock. */
    private void apply(String module, StoredTwin s) {
        String desired = s.twin().desired();
        long version = s.twin().desiredVersion();
        String patch = TwinDocument.diff(s.applied(), desired);
        if ("{}".equals(patch) && version == s.appliedVersion()) {
            repository.save(module, s);
            return;
        }
        if (!bundleModule(runtime, module)) {
            // The module applies its desired properties itself and owns all of its reported properties.
            repository.save(module, new StoredTwin(s.twin(), desired, version));
            if (!"{}".equals(patch)) {
                desiredListeners.fire(l -> l.desiredChanged(module, patch, version));
            }
            LOG.debug("Module {}: desired version {} stored for the module", module, version);
            return;
        }
        ObjectNode status = JSON.createObjectNode();
        StoredTwin next;
        try {
            applier.apply(module, desired, s.applied());
            next = new StoredTwin(s.twin(), desired, version);
            status.put("code", 200).put("description", "");
            if (!"{}".equals(patch)) {
                notifier.desiredChanged(module, patch, version);
                desiredListeners.fire(l -> l.desiredChanged(module, patch, version));
            }
            refused.remove(module);
            LOG.info("Module {}: desired version {} applied", module, version);
        } catch (IllegalArgumentException e) {
            next = s;
            status.put("code", 400).put("description", e.getMessage());
            // The same version comes again at each reconnect (the twin is read whole): say it once.
            if (Long.valueOf(version).equals(refused.put(module, version))) {
                LOG.debug("Module {}: desired version {} refused again: {}", module, version, e.getMessage());
            } else {
                LOG.error("Module {}: desired version {} refused, the module keeps version {}: {}", module, version,
                        s.appliedVersion(), e.getMessage());
            }
        } catch (IOException e) {
            next = s;
            status.put("code", 500).put("description", e.getMessage());
            LOG.error("Module {}: desired version {} not applied: {}", module, version, e.toString());
        }
        ObjectNode outcome = JSON.createObjectNode();
        outcome.putObject(STATUS_KEY).put("lastDesiredVersion", version).set("lastDesiredStatus", status);
        TwinDocument reported = next.twin().patchReported(outcome.toString(), limits);
        repository.save(module, next.withTwin(reported));
        notifier.reportedChanged(module, outcome.toString(), reported.reportedVersion());
    }

    /**
     * Invokes a module's direct method.
     *
     * @param timeout how long a module connected over the IoT Hub endpoint may take to answer
     * @return its answer: 501 if a bundle module has no such method, 404 if another module is not connected, 504 if
     *         it did not answer in time, 400/500 if the handler threw, 503 if too many are running
     */
    CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson, Duration timeout) {
        return methods.invoke(module, method, payloadJson, timeout);
    }
}
