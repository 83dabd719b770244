/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route of the IoT Edge route language, in the form this gateway supports until conditions arrive:
 * {@code FROM <source> INTO <sink>}, where the sink is {@code $upstream} or
 * {@code BrokeredEndpoint("/modules/<module>/inputs/<input>")}.
 *
 * @param name the route's name
 * @param source the normalised source prefix, lower case, ending in {@code /}
 * @param sink the endpoint queue
 * @param text the route as written
 */
record Route(String name, String source, String sink, String text) {

    /** The endpoint queue of {@code $upstream}. */
    static final String UPSTREAM_QUEUE = "outpost.endpoint.upstream";

    private static final Pattern ROUTE = Pattern.compile(
            "\\s*(?:select\\s+\\*\\s+)?from\\s+(\\S+)(?:\\s+where\\s+(.*?))?\\s+into\\s+(.+?)\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("(/(\\*|[^/\\s*]+))+/?");
    private static final Pattern BROKERED = Pattern.compile(
            "brokeredendpoint\\s*\\(\\s*\"/modules/([A-Za-z0-9_-]{1,64})/inputs/([A-Za-z0-9_-]{1,64})\"\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    /**
     * @throws IllegalArgumentException saying what is wrong with the route
     */
    static Route parse(String name, String text) {
        Matcher m = ROUTE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("route '" + name + "': expected FROM <source> [WHERE <condition>]"
                    + " INTO <sink>, got: " + text);
        }
        if (m.group(2) != null) {
            throw new IllegalArgumentException("route '" + name + "': WHERE conditions are not supported by this"
                    + " version of the gateway yet; remove the WHERE clause");
        }
        String source = m.group(1);
        if (!SOURCE.matcher(source).matches()) {
            throw new IllegalArgumentException("route '" + name + "': source '" + source
                    + "' must be a path such as /messages/* or /messages/modules/sensor/outputs/temperature");
        }
        String prefix = source.endsWith("*") ? source.substring(0, source.length() - 1) : source;
        if (!prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new Route(name, prefix.toLowerCase(Locale.ROOT), sink(name, m.group(3)), text.strip());
    }

    private static String sink(String name, String sink) {
        if (sink.equalsIgnoreCase("$upstream")) {
            return UPSTREAM_QUEUE;
        }
        Matcher b = BROKERED.matcher(sink);
        if (b.matches()) {
            return "outpost.modules." + b.group(1) + ".inputs." + b.group(2);
        }
        throw new IllegalArgumentException("route '" + name + "': sink '" + sink + "' must be $upstream or"
                + " BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")");
    }

    /**
     * @param messageSource a message's source path, e.g. {@code /messages/modules/sensor/outputs/temperature}
     * @return true if this route takes messages from that source
     */
    boolean matches(String messageSource) {
        return (messageSource.toLowerCase(Locale.ROOT) + "/").startsWith(source);
    }
}
