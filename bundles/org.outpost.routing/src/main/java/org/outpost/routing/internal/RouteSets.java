/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.commons.WatchedFile;
import org.outpost.routelanguage.CompiledRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running route set and where it comes from: the routing configuration ({@code etc/org.outpost.routing.cfg},
 * {@code route.<name>} keys), the watched routes file ({@code etc/edgehub.json}) and {@code edge:routes-set}. A new
 * set is compiled whole before it replaces the running one; a bad set is rejected whole (logged, and kept as the last
 * rejection) and the running routes stay. Valid sets from the file or {@code setRoutes} are stored as the
 * configuration, and {@code setRoutes} writes the file too, so that each place holds the routes that run.
 */
final class RouteSets implements AutoCloseable {

    /** Where the routing configuration is kept: ConfigurationAdmin, or in memory in a test. */
    interface Settings {
        /** @return the configuration's properties now, or {@code null} if it has none */
        Dictionary<String, Object> read() throws IOException;

        /** Replaces the configuration's properties. */
        void write(Dictionary<String, Object> properties) throws IOException;

        static Settings of(ConfigurationAdmin configurationAdmin, String pid) {
            return new Settings() {
                @Override
                public Dictionary<String, Object> read() throws IOException {
                    return configurationAdmin.getConfiguration(pid, null).getProperties();
                }

                @Override
                public void write(Dictionary<String, Object> properties) throws IOException {
                    Configuration c = configurationAdmin.getConfiguration(pid, null);
                    c.update(properties);
                }
            };
        }
    }

    /** The running routes and how many messages each took since they were applied. */
    record Running(RouteTable table, Map<String, LongAdder> taken) {
        Running(RouteTable table) {
            this(table, table.routes().stream().collect(Collectors.toMap(CompiledRoute::name, r -> new LongAdder())));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouteSets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String pid;
    private final Settings store;
    private volatile Running running = new Running(new RouteTable());
    /** Guards changes of the running routes, which come from setRoutes, the routes file and the configuration. */
    private final Object routesLock = new Object();
    /** The settings {@link #running} was built from. */
    private Map<String, String> runningSettings;
    private volatile String lastRejection;
    /** Where the running routes came from (see Routing.routesOrigin). */
    private volatile String origin;
    /** Set while the cloud owns the routes: what a local change is told. */
    private volatile String cloudOwned;
    private final Path routesPath;
    private final WatchedFile routesFile;

    /**
     * Applies the configuration's routes, then (when there is a routes file and it exists) the file's, which win at
     * start: the file is where operators keep the routes. Watches the file from then on.
     *
     * @param pid the routing configuration's PID, for messages
     * @param store where the routing configuration is kept
     * @param properties the configuration the component was activated with
     * @param routesPath the routes file, or {@code null} for none
     */
    RouteSets(String pid, Settings store, Map<String, ?> properties, Path routesPath) throws IOException {
        this.pid = pid;
        this.store = store;
        this.routesPath = routesPath;
        apply(properties);
        this.routesFile = routesPath == null ? null : new WatchedFile(routesPath, this::routesFileChanged);
        if (routesFile != null && Files.exists(routesPath)) {
            routesFileChanged(Files.readString(routesPath));
        }
    }

    /** @return the running routes */
    Running running() {
        return running;
    }

    /** @return where the running routes came from */
    String origin() {
        return origin;
    }

    /** @return why the last set was rejected, with when */
    Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    /**
     * The configuration changed. Configuration events arrive asynchronously, possibly after {@link #setRoutes} has
     * applied a newer set itself: this applies what the configuration holds now, not what it held when the event was
     * sent.
     */
    void configurationChanged(Map<String, ?> properties) throws IOException {
        Dictionary<String, Object> latest = store.read();
        apply(latest == null ? properties : toMap(latest));
    }

    private void apply(Map<String, ?> properties) {
        try {
            Map<String, String> settings = settings(properties);
            run(settings, RouteTable.fromProperties(settings), "configuration " + pid, false);
        } catch (IllegalArgumentException e) {
            rejected("configuration " + pid + " rejected, the running routes stay: " + e.getMessage());
        }
    }

    /** Makes a valid route set the running one (keeping the counters when it is the one running already). */
    private void run(Map<String, String> settings, RouteTable table, String source, boolean explicit) {
        synchronized (routesLock) {
            if (settings.equals(runningSettings)) {
                // The same routes again: a configuration event echoing a set applied already keeps its origin, a set
                // given again (the same file, the same twin) takes it over.
                if (explicit || origin == null) {
                    origin = source;
                }
                return;
            }
            running = new Running(table);
            runningSettings = settings;
            origin = source;
        }
        LOG.info("Routes from {}: {}", source, table.routes().stream().map(r -> r.name() + ": " + r.text())
                .collect(Collectors.joining("; ")));
    }

    /** @throws IllegalStateException if the cloud owns the routes, saying where to change them */
    void checkLocalChange() {
        String owner = cloudOwned;
        if (owner != null) {
            throw new IllegalStateException(owner);
        }
    }

    /** See {@link org.outpost.routing.api.Routing#setRoutes}. */
    void setRoutes(String edgeHubJson) throws IOException {
        checkLocalChange();
        replace(edgeHubJson, "a local change (edge:routes-set or a deployment)");
    }

    /** See {@link org.outpost.routing.api.Routing#setCloudRoutes}. */
    void setCloudRoutes(String edgeHubJson, long version) throws IOException {
        String source = "the hub's $edgeHub twin (version " + version + ")";
        replace(edgeHubJson, source);
        cloudOwned = "the running routes come from " + source + ": change them at the hub (hub:twin-set -m"
                + " '$edgeHub' <device> ...), or stop the gateway's twins (etc/org.outpost.twin.cfg) to keep the routes"
                + " here";
    }

    private void replace(String edgeHubJson, String source) throws IOException {
        Map<String, String> properties;
        try {
            properties = EdgeHubRoutes.toProperties(JSON.readTree(edgeHubJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the routes are not JSON: " + e.getOriginalMessage());
        }
        RouteTable table = RouteTable.fromProperties(properties);
        synchronized (routesLock) {
            if (routesFile != null) {
                // The routes file stays the one place that holds the routes.
                routesFile.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        JSON.readTree(edgeHubJson)));
            }
            store(properties);
            // In effect when this returns: the configuration event that follows finds them running already.
            run(settings(properties), table, source, true);
        }
    }

    /** See {@link org.outpost.routing.api.Routing#checkRoutes}. */
    static void checkRoutes(String edgeHubJson) {
        try {
            RouteTable.fromProperties(EdgeHubRoutes.toProperties(JSON.readTree(edgeHubJson)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the routes are not JSON: " + e.getOriginalMessage());
        }
    }

    /** Applies a new routes file; a bad one is logged and the running routes stay. */
    private void routesFileChanged(String content) {
        String owner = cloudOwned;
        if (owner != null) {
            rejected(routesPath + " changed but was not applied: " + owner);
            return;
        }
        try {
            Map<String, String> properties = EdgeHubRoutes.toProperties(JSON.readTree(content));
            RouteTable table = RouteTable.fromProperties(properties);
            synchronized (routesLock) {
                store(properties);
                run(settings(properties), table, routesPath.toString(), true);
            }
        } catch (JsonProcessingException e) {
            rejected(routesPath + " rejected, the running routes stay: it is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | IOException e) {
            rejected(routesPath + " rejected, the running routes stay: " + e.getMessage());
        }
    }

    private void rejected(String why) {
        LOG.error(why);
        lastRejection = Instant.now() + ": " + why;
    }

    /** Stores valid routes as the routing configuration (etc/org.outpost.routing.cfg), which applies them. */
    private void store(Map<String, String> properties) throws IOException {
        Hashtable<String, Object> next = new Hashtable<>(properties);
        Dictionary<String, Object> current = store.read();
        if (current != null && settings(toMap(current)).equals(settings(next))) {
            return;
        }
        store.write(next);
    }

    /** The routing settings among configuration properties, as text (without the framework's own keys). */
    static Map<String, String> settings(Map<String, ?> properties) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("felix.") && !k.startsWith("component.")) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> out = new HashMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            out.put(k, d.get(k));
        }
        return out;
    }

    @Override
    public void close() {
        if (routesFile != null) {
            routesFile.close();
        }
    }
}
