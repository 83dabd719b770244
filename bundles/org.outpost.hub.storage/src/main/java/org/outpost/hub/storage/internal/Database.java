/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's database: a HikariCP pool over embedded H2 (the default, a file under {@code ${karaf.data}}) or
 * PostgreSQL, chosen by the URL. At start the schema is brought up to date by Flyway (the SQL migrations beside this
 * class, {@code V<n>__<what>.sql}, each applied once and recorded in {@code outpost_schema_history}), and this node
 * is registered in {@code hub_nodes} and kept alive there ({@link NodeLiveness}, on the database's clock). Every wait
 * for the database is bounded ({@link Timeouts}). With PostgreSQL, events between nodes travel by {@code NOTIFY} on
 * one channel.
 */
@Component(service = HubDatabase.class, configurationPid = "org.outpost.hub.storage")
@Designate(ocd = Database.Config.class)
public final class Database implements HubDatabase, AutoCloseable {

    @ObjectClassDefinition(name = "Outpost hub storage", description = "Where the hub keeps devices, twins and"
            + " deployments: embedded H2 (no set-up, one hub node) or PostgreSQL (several nodes share it).")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL: empty for the embedded database in ${karaf.data}/outpost/hub,"
                + " or jdbc:postgresql://host:5432/outpost")
        String url() default "";

        @AttributeDefinition(description = "Database user (empty for the embedded database).")
        String user() default "";

        @AttributeDefinition(description = "Database password; ${env:OUTPOST_DB_PASSWORD} keeps it out of the file.",
                type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String password() default "";

        @AttributeDefinition(description = "Connections in the pool.")
        int pool_size() default 10;

        @AttributeDefinition(description = "This node's name among the hub nodes sharing the database; empty for the"
                + " host name (a random suffix makes each start a new node).")
        String node_name() default "";

        @AttributeDefinition(description = "Seconds to open a connection to the database (PostgreSQL: TCP connect"
                + " and log-in).")
        int connect_timeout_seconds() default 10;

        @AttributeDefinition(description = "Seconds a PostgreSQL read may wait on an open connection (a link that"
                + " went silent ends here); longer than statement.timeout.seconds, or 0 for none.")
        int socket_timeout_seconds() default 60;

        @AttributeDefinition(description = "Seconds a statement may run or wait for a lock before it is cancelled.")
        int statement_timeout_seconds() default 30;

        @AttributeDefinition(description = "Seconds to wait for a free connection from the pool.")
        int pool_wait_seconds() default 5;
    }

    /** How to reach the database, and how long to wait for it, checked. */
    public record Settings(String url, String user, String password, int poolSize, String nodeName,
            Timeouts timeouts) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(timeouts, "timeouts");
            if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("storage url '" + url + "' is neither jdbc:h2:... nor"
                        + " jdbc:postgresql://host:port/database; set url in etc/org.outpost.hub.storage.cfg");
            }
            if (poolSize < 2) {
                throw new IllegalArgumentException("pool.size " + poolSize + " is too small: give at least 2");
            }
        }

        /** With the default {@link Timeouts}. */
        public Settings(String url, String user, String password, int poolSize, String nodeName) {
            this(url, user, password, poolSize, nodeName, Timeouts.DEFAULTS);
        }

        /** @return the embedded database in a directory */
        public static Settings embedded(Path directory) {
            return new Settings("jdbc:h2:file:" + directory.resolve("hub").toAbsolutePath(), "", "", 10, "");
        }

        /** @return these settings with other timeouts */
        public Settings withTimeouts(Timeouts other) {
            return new Settings(url, user, password, poolSize, nodeName, other);
        }
    }

    private static final String CHANNEL = "outpost_hub";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Settings settings;
    private final HikariDataSource pool;
    private final String product;
    private final String nodeId;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
    private final NodeLiveness liveness;
    private final PostgresEvents events;

    @Activate
    public Database(BundleContext context, Config config) {
        this(settings(config, Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"),
                "outpost", "hub")));
    }

    static Settings settings(Config config, Path embeddedDirectory) {
        Timeouts timeouts = new Timeouts(config.connect_timeout_seconds(), config.socket_timeout_seconds(),
                config.statement_timeout_seconds(), config.pool_wait_seconds());
        return config.url().isBlank() ? new Settings(Settings.embedded(embeddedDirectory).url(), "", "",
                config.pool_size(), config.node_name(), timeouts) : new Settings(config.url().strip(), config.user(),
                        config.password(), config.pool_size(), config.node_name(), timeouts);
    }

    /** Opens the database, migrates its schema and registers this node. */
    public Database(Settings settings) {
        this(settings, System::currentTimeMillis);
    }

    /** @param wallClock this node's clock, compared with the database's only to warn of a difference */
    Database(Settings settings, LongSupplier wallClock) {
        this.settings = settings;
        String name = settings.nodeName().isBlank() ? hostName() : settings.nodeName();
        this.nodeId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        DataSource raw = DataSources.raw(settings);
        try {
            this.pool = new HikariDataSource(DataSources.pool(settings, raw));
        } catch (RuntimeException e) {
            throw new StorageException("cannot open the hub database " + redacted(settings.url()) + ": "
                    + rootMessage(e)
                    + (settings.url().startsWith("jdbc:postgresql:") ? " (is PostgreSQL running, and are user and"
                            + " password in etc/org.outpost.hub.storage.cfg right?)" : ""), e);
        }
        try {
            this.product = transaction("reading the database product",
                    c -> c.getMetaData().getDatabaseProductName());
            migrate();
            this.liveness = new NodeLiveness(this, nodeId, wallClock, this::resync);
            liveness.register();
            this.events = product.equals("PostgreSQL") ? new PostgresEvents(raw, CHANNEL, this::dispatch,
                    this::resync) : null;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        liveness.start();
        LOG.info("Hub storage: {} at {}, node {}", product, redacted(settings.url()), nodeId);
    }

    private void migrate() {
        Flyway flyway = Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:org/outpost/hub/storage/migration")
                .table("outpost_schema_history")
                .load();
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (RuntimeException e) {
            throw new StorageException("cannot bring the hub database " + redacted(settings.url())
                    + " to this hub's schema: " + rootMessage(e) + " (nothing was changed by the failed step;"
                    + " see outpost_schema_history)", e);
        }
        if (result.migrationsExecuted > 0) {
            LOG.info("Hub database schema migrated from version {} to {} ({} step(s))",
                    Objects.requireNonNullElse(result.initialSchemaVersion, "none"), result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /** @return this node's liveness in {@code hub_nodes} */
    NodeLiveness liveness() {
        return liveness;
    }

    @Override
    public <T> T transaction(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            // The pool gives the connection back in auto-commit mode (HikariCP resets what a user changed).
        } catch (SQLException e) {
            throw new StorageException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String product() {
        return product;
    }

    @Override
    public void publish(String topic, String data) {
        if (topic.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("event topic '" + topic + "' has a line break");
        }
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("event " + topic + " carries " + data.length() + " characters; at"
                    + " most " + MAX_EVENT_BYTES + " bytes travel between nodes");
        }
        if (events == null) {
            return;
        }
        transaction("telling the other hub nodes of " + topic, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                s.setString(1, CHANNEL);
                s.setString(2, nodeId + "\n" + topic + "\n" + data);
                s.execute();
                return null;
            }
        });
    }

    private void dispatch(String payload) {
        String[] parts = payload.split("\n", 3);
        if (parts.length != 3 || parts[0].equals(nodeId)) {
            return;
        }
        for (Consumer<String> l : subscribers.getOrDefault(parts[1], List.of())) {
            try {
                l.accept(parts[2]);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on event {} from node {}: {}", parts[1], parts[0], e.toString());
            }
        }
    }

    private void resync() {
        for (Runnable r : resyncListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("A listener failed to read again what it keeps: {}", e.toString());
            }
        }
    }

    @Override
    public Runnable subscribe(String topic, Consumer<String> listener) {
        subscribers.computeIfAbsent(topic, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> subscribers.getOrDefault(topic, List.of()).remove(listener);
    }

    @Override
    public Runnable onResync(Runnable listener) {
        resyncListeners.add(listener);
        return () -> resyncListeners.remove(listener);
    }

    @Deactivate
    @Override
    public void close() {
        liveness.close();
        if (events != null) {
            events.close();
        }
        pool.close();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "hub";
        }
    }

    /** @return the URL without a password it might carry */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Objects.requireNonNullElse(t.getMessage(), t.toString());
    }
}
