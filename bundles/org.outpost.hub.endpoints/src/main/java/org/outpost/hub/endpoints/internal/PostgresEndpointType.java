/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.endpoints.internal;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.outpost.hub.routing.EndpointSettings;
import org.outpost.hub.routing.EndpointSink;
import org.outpost.hub.routing.EndpointType;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Endpoint type {@code postgres}: each message becomes a row of a table in a PostgreSQL database (created when
 * missing), a batch in one transaction, a redelivered message ignored by its sequence. Settings: {@code url}
 * ({@code jdbc:postgresql://host:port/db}), {@code user}, {@code password} or {@code passwordFile}, {@code table}
 * (default {@value #DEFAULT_TABLE}, optionally {@code schema.table}), {@code connectTimeoutSeconds} (10) and
 * {@code statementTimeoutSeconds} (60).
 */
@Component(service = EndpointType.class, property = EndpointType.TYPE + "=" + PostgresEndpointType.TYPE)
public final class PostgresEndpointType implements EndpointType {

    static final String TYPE = "postgres";
    static final String DEFAULT_TABLE = "outpost_messages";
    private static final Pattern TABLE = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Set<String> KNOWN = Set.of("url", "user", "password", "passwordFile", "table",
            "connectTimeoutSeconds", "statementTimeoutSeconds");

    @Override
    public EndpointSink open(String name, Map<String, Object> settings) {
        EndpointSettings s = new EndpointSettings(settings, KNOWN);
        String url = s.string("url");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw EndpointSettings.wrong("url", "expected jdbc:postgresql://<host>:<port>/<database>");
        }
        String table = s.string("table", DEFAULT_TABLE);
        if (!TABLE.matcher(table).matches()) {
            throw EndpointSettings.wrong("table", "'" + table + "' is not a table name ([schema.]name of letters, digits, _)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(s.string("user"));
        ds.setPassword(s.password());
        int connect = (int) s.number("connectTimeoutSeconds", 10, 1);
        ds.setConnectTimeout(connect);
        ds.setLoginTimeout(connect);
        ds.setSocketTimeout((int) s.number("statementTimeoutSeconds", 60, 1));
        ds.setTcpKeepAlive(true);
        ds.setApplicationName("outpost-hub routing " + name);
        return new PostgresSink(name, ds, redacted(url), table);
    }

    /** The URL without a password parameter, for messages. */
    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
