/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.outpost.api.message.Message;
import org.outpost.api.module.DesiredPropertiesListener;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.deployment.api.Deployer;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.outpost.routing.api.Routing;
import org.outpost.twin.api.GatewayTwins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module twins of this gateway, one file each under {@code ${karaf.data}/outpost/twins}: the desired properties
 * as the cloud holds them, the desired properties last applied to the module, and the reported properties, which the
 * module owns.
 * <p>
 * Applying desired properties: they are checked against the module's Metatype definition of its configuration PID
 * (the deployment's {@code settings.pid}, else the one PID the module's bundle defines, else
 * {@code org.outpost.module.<id>}) when it has one, then given to the module as that configuration, then told to its
 * {@link DesiredPropertiesListener}s as a merge patch from what it had. Desired properties that do not fit reach
 * nothing; the module keeps what it had. Either way the outcome goes into the reported properties under
 * {@value #STATUS_KEY}: {@code {"lastDesiredVersion": n, "lastDesiredStatus": {"code": 200|400, "description"}}}.
 * <p>
 * Changes to reported properties go to the router as {@code /twinChangeNotifications} messages.
 */
@Component(service = {GatewayTwins.class, ModuleTwins.class}, configurationPid = ModuleTwins.PID)
@org.osgi.service.metatype.annotations.Designate(ocd = ModuleTwins.Config.class)
public final class ModuleTwins implements GatewayTwins {

    static final String PID = "org.outpost.twin.modules";

    @org.osgi.service.metatype.annotations.ObjectClassDefinition(name = "Outpost module twins", description = "Limits of the module twins the gateway keeps; a patch over one is refused whole with its path.")
    public @interface Config {
        @org.osgi.service.metatype.annotations.AttributeDefinition(description = "Largest desired or reported section, in KB (IoT Hub: 32).")
        int max_section_kb() default 32;

        @org.osgi.service.metatype.annotations.AttributeDefinition(description = "Deepest nesting of objects (IoT Hub: 10).")
        int max_depth() default 10;

        @org.osgi.service.metatype.annotations.AttributeDefinition(description = "Largest string value, in KB (IoT Hub: 4).")
        int max_value_kb() default 4;

        @org.osgi.service.metatype.annotations.AttributeDefinition(description = "Largest key, in bytes (IoT Hub: 1024).")
        int max_key_bytes() default 1024;
    }

    /** The reported key under which the gateway says what became of the desired properties. */
    static final String STATUS_KEY = "outpost";
    /** The largest direct-method answer, as IoT Hub. */
    static final int MAX_METHOD_PAYLOAD = 128 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ModuleTwins.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A module's twin as kept on the gateway. */
    private record State(TwinDocument twin, String applied, long appliedVersion) {
    }

    private record Registered<T>(String module, ServiceReference<T> ref, String method) {
    }

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final MetaTypeService metaType;
    private final Routing routing;
    private final EdgeRuntime runtime;
    private final Path dir;
    private final TwinLimits limits;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final ConcurrentMap<ServiceReference<?>, Registered<DesiredPropertiesListener>> listeners =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<ServiceReference<?>, Registered<MethodHandler>> methods = new ConcurrentHashMap<>();
    /** Listeners are told one at a time, in order, away from the cloud connection's thread. */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outpost-twin-listeners");
        t.setDaemon(true);
        return t;
    });
    /** Direct methods run here; a module whose handler hangs holds one thread, the caller gets 504. */
    private final ThreadPoolExecutor invoker = new ThreadPoolExecutor(0, 16, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "outpost-module-method");
                t.setDaemon(true);
                return t;
            });
    private volatile Consumer<String> reportedChanged = module -> { };

    @Activate
    public ModuleTwins(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference MetaTypeService metaType, @Reference Routing routing,
            @Reference EdgeRuntime runtime, Config config) throws IOException {
        this.limits = TwinLimits.of(config.max_section_kb(), config.max_depth(), config.max_value_kb(),
                config.max_key_bytes());
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.metaType = metaType;
        this.routing = routing;
        this.runtime = runtime;
        this.dir = Path.of(System.getProperty("karaf.data", "data"), "outpost", "twins");
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && ModuleNames.isValid(name.substring(0, name.length() - 5))) {
                    load(name.substring(0, name.length() - 5), f);
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        notifier.shutdownNow();
        invoker.shutdownNow();
    }

    // The whiteboard keeps service references and gets the services only when it calls them: a module's component
    // that is a listener or method handler and also uses its ModuleTwin must not be activated from here.
    @Reference(service = DesiredPropertiesListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addListener(ServiceReference<DesiredPropertiesListener> ref) {
        String module = moduleOf(ref);
        if (module != null) {
            listeners.put(ref, new Registered<>(module, ref, null));
        }
    }

    void removeListener(ServiceReference<DesiredPropertiesListener> ref) {
        listeners.remove(ref);
    }

    @Reference(service = MethodHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void addMethod(ServiceReference<MethodHandler> ref) {
        String module = moduleOf(ref);
        Object name = ref.getProperty(MethodHandler.NAME);
        if (module == null) {
            return;
        }
        if (!(name instanceof String n) || n.isBlank()) {
            LOG.error("Module {}: a MethodHandler without the service property {} is not callable; set it to the"
                    + " method name", module, MethodHandler.NAME);
            return;
        }
        methods.put(ref, new Registered<>(module, ref, n));
    }

    void removeMethod(ServiceReference<MethodHandler> ref) {
        methods.remove(ref);
    }

    /** Calls a whiteboard service, getting it for the call only. */
    private <T, R> R call(ServiceReference<T> ref, java.util.function.Function<T, R> action) {
        org.osgi.framework.ServiceObjects<T> objects = context.getServiceObjects(ref);
        T service = objects == null ? null : objects.getService();
        if (service == null) {
            throw new IllegalStateException("the module's service is gone");
        }
        try {
            return action.apply(service);
        } finally {
            objects.ungetService(service);
        }
    }

    private static String moduleOf(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        String module = b == null ? null : b.getHeaders("").get(EdgeModule.HEADER);
        if (!ModuleNames.isValid(module)) {
            LOG.warn("Bundle {} registers a module service but declares no valid module id ({}): ignored",
                    b == null ? "?" : b.getSymbolicName(), EdgeModule.HEADER);
            return null;
        }
        return module;
    }

    /** @param listener told the module id whenever a module's reported properties change */
    void onReportedChange(Consumer<String> listener) {
        this.reportedChanged = listener == null ? module -> { } : listener;
    }

    @Override
    public List<String> modules() {
        Set<String> all = new TreeSet<>(states.keySet());
        runtime.modules().stream().filter(m -> m.bundleId() >= 0).map(ModuleInfo::name).forEach(all::add);
        return new ArrayList<>(all);
    }

    @Override
    public Optional<String> twin(String module) {
        if (!states.containsKey(module) && runtime.module(module).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(document(module).toJson());
    }

    /** @return the module's twin, empty if it has none yet */
    TwinDocument document(String module) {
        State s = states.get(module);
        return s == null ? TwinDocument.empty() : s.twin();
    }

    @Override
    public long patchReported(String module, String patchJson) {
        if (!ModuleNames.isValid(module) || !states.containsKey(module) && runtime.module(module).isEmpty()) {
            throw new IllegalArgumentException("no module '" + module + "' on this gateway (edge:list shows them)");
        }
        return reported(module, patchJson);
    }

    /** Patches the reported properties of a module; see {@link org.outpost.api.module.ModuleTwin#patchReported}. */
    long reported(String module, String patchJson) {
        TwinDocument next;
        synchronized (this) {
            State s = state(module);
            next = s.twin().patchReported(patchJson, limits);
            save(module, new State(next, s.applied(), s.appliedVersion()));
        }
        notifyChange(module, patchJson, next.reportedVersion());
        return next.reportedVersion();
    }

    /**
     * Tells the cloud side, and routes a {@code /twinChangeNotifications} message. Routing is done on the notifier
     * thread: a module reporting while the gateway starts must not wait for the router.
     */
    private void notifyChange(String module, String patchJson, long version) {
        reportedChanged.accept(module);
        try {
            notifier.execute(() -> {
                try {
                    ObjectNode body = JSON.createObjectNode().put("version", version);
                    body.putObject("properties").set("reported", JSON.readTree(patchJson));
                    routing.route(Message.builder().json(body.toString()).connectionModuleId(module)
                            .connectionDeviceId(runtime.deviceId()).outputName(Routing.TWIN_CHANGE_NOTIFICATIONS)
                            .build()).whenComplete((ok, e) -> {
                                if (e != null) {
                                    LOG.warn("Twin change of {} not routed: {}", module, e.getMessage());
                                }
                            });
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Twin change of {} not routed: {}", module, e.toString());
                }
            });
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Twin change of {} not routed: the twins are stopping", module);
        }
    }

    /**
     * A desired patch from the cloud, applied if it is the next version; otherwise the caller reads the whole twin.
     *
     * @return whether it was the next version (and so was taken)
     */
    boolean desiredPatch(String module, String patchJson, long version) {
        synchronized (this) {
            State s = state(module);
            if (version != s.twin().desiredVersion() + 1) {
                return false;
            }
            TwinDocument next = s.twin().patchDesired(patchJson, limits);
            apply(module, new State(next, s.applied(), s.appliedVersion()));
        }
        return true;
    }

    /** The desired properties as the cloud holds them, read whole (after a reconnect or a missed version). */
    void desiredWhole(String module, String desiredJson, long version) {
        synchronized (this) {
            State s = state(module);
            TwinDocument next = s.twin().withDesired(desiredJson, version, limits);
            apply(module, new State(next, s.applied(), s.appliedVersion()));
        }
    }

    /** Applies the state's desired properties to the module if they differ from what it has; under the lock. */
    private void apply(String module, State s) {
        String desired = s.twin().desired();
        long version = s.twin().desiredVersion();
        String patch = TwinDocument.diff(s.applied(), desired);
        if ("{}".equals(patch) && version == s.appliedVersion()) {
            save(module, s);
            return;
        }
        ObjectNode status = JSON.createObjectNode();
        State next;
        try {
            configure(module, (ObjectNode) JSON.readTree(desired), (ObjectNode) JSON.readTree(s.applied()));
            next = new State(s.twin(), desired, version);
            status.put("code", 200).put("description", "");
            if (!"{}".equals(patch)) {
                List<ServiceReference<DesiredPropertiesListener>> told = listeners.values().stream()
                        .filter(r -> r.module().equals(module)).map(Registered::ref).toList();
                notifier.execute(() -> told.forEach(l -> {
                    try {
                        call(l, listener -> {
                            listener.desiredChanged(patch, version);
                            return null;
                        });
                    } catch (RuntimeException e) {
                        LOG.error("Module {}: its desired-properties listener failed on version {}: {}", module,
                                version, e.toString(), e);
                    }
                }));
            }
            LOG.info("Module {}: desired version {} applied", module, version);
        } catch (IllegalArgumentException e) {
            next = new State(s.twin(), s.applied(), s.appliedVersion());
            status.put("code", 400).put("description", e.getMessage());
            LOG.error("Module {}: desired version {} refused, the module keeps version {}: {}", module, version,
                    s.appliedVersion(), e.getMessage());
        } catch (IOException e) {
            next = new State(s.twin(), s.applied(), s.appliedVersion());
            status.put("code", 500).put("description", e.getMessage());
            LOG.error("Module {}: desired version {} not applied: {}", module, version, e.toString());
        }
        ObjectNode outcome = JSON.createObjectNode();
        outcome.putObject(STATUS_KEY).put("lastDesiredVersion", version).set("lastDesiredStatus", status);
        TwinDocument reported = next.twin().patchReported(outcome.toString(), limits);
        save(module, new State(reported, next.applied(), next.appliedVersion()));
        notifyChange(module, outcome.toString(), reported.reportedVersion());
    }

    /** Gives the module its desired properties as configuration, in place of those it had. */
    private void configure(String module, ObjectNode desired, ObjectNode before) throws IOException {
        Bundle bundle = runtime.module(module).filter(m -> m.bundleId() >= 0)
                .map(m -> context.getBundle(m.bundleId())).orElse(null);
        MetaTypeInformation info = bundle == null ? null : metaType.getMetaTypeInformation(bundle);
        String pid = deployedPid(module);
        if (pid == null && info != null && info.getPids() != null && info.getPids().length == 1) {
            pid = info.getPids()[0];
        }
        if (pid == null) {
            pid = "org.outpost.module." + module;
        }
        ObjectClassDefinition ocd = null;
        if (info != null && info.getPids() != null && List.of(info.getPids()).contains(pid)) {
            ocd = info.getObjectClassDefinition(pid, null);
        }
        Map<String, Object> values = TypedDesired.toConfiguration(desired, ocd, module + "'s configuration " + pid);
        Configuration c = configurationAdmin.getConfiguration(pid, "?");
        Hashtable<String, Object> next = new Hashtable<>();
        Dictionary<String, Object> current = c.getProperties();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                if (!k.equals("service.pid") && !before.has(k)) {
                    next.put(k, current.get(k));
                }
            }
        }
        next.putAll(values);
        if (current != null && sameProperties(current, next)) {
            return;
        }
        c.update(next);
    }

    private static boolean sameProperties(Dictionary<String, Object> current, Map<String, Object> next) {
        Map<String, Object> now = new java.util.HashMap<>();
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.equals("service.pid")) {
                now.put(k, current.get(k));
            }
        }
        if (!now.keySet().equals(next.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : next.entrySet()) {
            if (!java.util.Objects.deepEquals(now.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The module's configuration PID in the running deployment, if it has one. The deployer is looked up here, not
     * referenced: the deployment's activation reaches module components (through the runtime's input dispatcher), a
     * module component may use its ModuleTwin, and so any reference from here to the deployer closes a cycle.
     */
    private String deployedPid(String module) {
        ServiceReference<Deployer> ref = context.getServiceReference(Deployer.class);
        Deployer d = ref == null ? null : context.getService(ref);
        if (d == null) {
            return null;
        }
        try {
            return d.configurationPid(module).orElse(null);
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * Invokes a module's direct method.
     *
     * @return its answer: 501 if the module has no such method, 400/500 if the handler threw, 503 if too many are
     *         running
     */
    CompletionStage<MethodHandler.Result> invoke(String module, String method, String payloadJson) {
        ServiceReference<MethodHandler> handler = methods.values().stream().filter(r -> r.module().equals(module)
                && r.method().equals(method)).map(Registered::ref).findFirst().orElse(null);
        if (handler == null) {
            return CompletableFuture.completedFuture(new MethodHandler.Result(501, message("module '" + module
                    + "' has no method '" + method + "'")));
        }
        CompletableFuture<MethodHandler.Result> answer = new CompletableFuture<>();
        try {
            invoker.execute(() -> {
                try {
                    MethodHandler.Result r = call(handler, h -> {
                        try {
                            return h.invoke(payloadJson);
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new MethodFailed(e);
                        }
                    });
                    String payload = r == null || r.payloadJson() == null ? "null" : r.payloadJson();
                    JSON.readTree(payload);
                    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_METHOD_PAYLOAD) {
                        answer.complete(new MethodHandler.Result(500, message(method + " answered more than 128 KB")));
                    } else {
                        answer.complete(new MethodHandler.Result(r == null ? 200 : r.status(), payload));
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    answer.complete(new MethodHandler.Result(500, message(method + " answered something that is"
                            + " not JSON: " + e.getOriginalMessage())));
                } catch (IllegalArgumentException e) {
                    answer.complete(new MethodHandler.Result(400, message(e.getMessage())));
                } catch (MethodFailed e) {
                    LOG.warn("Module {}: method {} failed: {}", module, method, e.getCause().toString(), e.getCause());
                    answer.complete(new MethodHandler.Result(500, message(method + " failed: " + e.getCause())));
                } catch (RuntimeException e) {
                    LOG.warn("Module {}: method {} failed: {}", module, method, e.toString(), e);
                    answer.complete(new MethodHandler.Result(500, message(method + " failed: " + e)));
                }
            });
        } catch (RejectedExecutionException e) {
            answer.complete(new MethodHandler.Result(503, message("16 direct methods are running on this gateway"
                    + " already; try again")));
        }
        return answer;
    }

    /** A checked exception of a method handler, carried out of the call. */
    private static final class MethodFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodFailed(Exception cause) {
            super(cause);
        }
    }

    private static String message(String text) {
        return JSON.createObjectNode().put("message", text).toString();
    }

    private State state(String module) {
        return states.getOrDefault(module, new State(TwinDocument.empty(), "{}", 0));
    }

    private void load(String module, Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readString(file));
            states.put(module, new State(TwinDocument.parse(root.path("twin").toString()),
                    root.path("applied").toString(), root.path("appliedVersion").asLong(0)));
        } catch (IOException | RuntimeException e) {
            LOG.error("The twin of module {} in {} cannot be read ({}); it starts empty and is read again from the"
                    + " cloud", module, file, e.toString());
        }
    }

    /** Stores a module's twin (written in full, forced to disk, then moved over the old file). */
    private void save(String module, State s) {
        ObjectNode root = JSON.createObjectNode();
        try {
            root.set("twin", JSON.readTree(s.twin().toJson()));
            root.set("applied", JSON.readTree(s.applied()));
            root.put("appliedVersion", s.appliedVersion());
            Path tmp = dir.resolve(module + ".json.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(root.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(module + ".json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            states.put(module, s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot store the twin of " + module + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }
}
