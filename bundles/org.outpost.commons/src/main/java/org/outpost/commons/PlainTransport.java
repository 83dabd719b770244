/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The one rule for plain (unencrypted) network transport, for every listener and client of the gateway and the hub:
 * plain is fine on loopback, and refused anywhere else unless its configuration says
 * {@value #ALLOW_KEY}{@code = true} (a trusted network). Loopback is decided from the text alone, without DNS:
 * {@code localhost}, an address in 127.0.0.0/8, {@code ::1}; every other name or address, the wildcard
 * {@code 0.0.0.0} included, is off loopback.
 */
public final class PlainTransport {

    /** The configuration key of the escape hatch, the same in every PID that has one. */
    public static final String ALLOW_KEY = "allow.plain.off.loopback";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final Predicate<String> loopback;

    /** The rule with {@link #isLoopback(String)}. */
    public PlainTransport() {
        this(PlainTransport::isLoopback);
    }

    /** @param loopback decides whether a host (as configured) is loopback */
    public PlainTransport(Predicate<String> loopback) {
        this.loopback = Objects.requireNonNull(loopback, "loopback");
    }

    /**
     * @param host a host name or address as configured (an IPv6 address with or without brackets)
     * @return true for {@code localhost}, 127.0.0.0/8 and {@code ::1}; false for anything else, names looked up in
     *         no DNS
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && !IPV6.matcher(h).matches()) {
            return false;
        }
        try {
            // A literal address: no lookup.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @return whether this rule counts {@code host} as loopback */
    public boolean loopback(String host) {
        return loopback.test(host);
    }

    /**
     * A plain listener.
     *
     * @param listener what listens, as its operator knows it ({@code the broker's MQTT acceptor})
     * @param host the address it binds to
     * @param port its port
     * @param allowed whether its configuration sets {@value #ALLOW_KEY}
     * @param configurationFile where it is configured ({@code etc/org.outpost.broker.cfg})
     * @param tlsInstead what to set there to have TLS instead, or to have no plain listener
     * @return why it must not start, saying what to set; empty if it may
     */
    public Optional<String> refuseListener(String listener, String host, int port, boolean allowed,
            String configurationFile, String tlsInstead) {
        if (allowed || loopback(host)) {
            return Optional.empty();
        }
        return Optional.of(listener + " would listen without TLS on " + host + ":" + port + ", which is not"
                + " loopback: in " + configurationFile + " " + tlsInstead + ", bind it to 127.0.0.1, or set "
                + ALLOW_KEY + " = true if the network is trusted");
    }

    /**
     * @throws IllegalStateException with {@link #refuseListener}'s reason, if the listener must not start
     */
    public void checkListener(String listener, String host, int port, boolean allowed, String configurationFile,
            String tlsInstead) {
        Optional<String> refused = refuseListener(listener, host, port, allowed, configurationFile, tlsInstead);
        if (refused.isPresent()) {
            throw new IllegalStateException(refused.get());
        }
    }

    /**
     * A client's URL: {@code ssl://} (or any scheme but {@code tcp://}) is always fine, {@code tcp://} only to a
     * loopback host or when allowed.
     *
     * @param client what connects, as its operator knows it ({@code the upstream})
     * @param url where it connects
     * @param allowed whether its configuration sets {@value #ALLOW_KEY}
     * @param configurationFile where it is configured
     * @return why it must not connect, saying what to set; empty if it may
     */
    public Optional<String> refuseClient(String client, String url, boolean allowed, String configurationFile) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty(); // the client's own validation says what is wrong with it
        }
        if (!"tcp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || allowed
                || loopback(uri.getHost())) {
            return Optional.empty();
        }
        return Optional.of(client + " would connect without TLS to " + uri.getHost() + ", which is not loopback:"
                + " in " + configurationFile + " use url = ssl://" + uri.getHost() + ":8883 (with tls.ca if its"
                + " certificate is not from a CA the JVM trusts), or set " + ALLOW_KEY
                + " = true if the network is trusted");
    }
}
