/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.PlainTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API and the dashboard are served over plain HTTP on loopback only: this component starts only if every
 * plain {@code http://} endpoint of the HTTP service (its {@code osgi.http.endpoint}s) is on loopback, or
 * {@code allow.plain.off.loopback} says the network is trusted. The token filter and the dashboard need it, so
 * otherwise neither is served, and the error says what to set. Checked when it starts: after changing
 * {@code etc/org.apache.felix.http.cfg}, restart the hub (or this bundle).
 */
@Component(service = HttpTransport.class, configurationPid = HttpTransport.PID)
@Designate(ocd = HttpTransport.Config.class)
public final class HttpTransport {

    static final String PID = "org.outpost.hub.web";
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    @ObjectClassDefinition(name = "Outpost hub web transport", description = "Whether the REST API and the"
            + " dashboard may be served over plain HTTP off loopback.")
    public @interface Config {
        @AttributeDefinition(description = "Serve the API and the dashboard over plain HTTP on an address that is"
                + " not loopback: a trusted network only, the API token crosses it in the clear.")
        boolean allow_plain_off_loopback() default false;
    }

    @Activate
    public HttpTransport(@Reference ServiceReference<HttpServiceRuntime> http, Config config) {
        Optional<String> refused = refusal(http.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT),
                config.allow_plain_off_loopback(), new PlainTransport());
        if (refused.isPresent()) {
            LOG.error("The REST API and the dashboard are not served: {}", refused.get());
            throw new IllegalStateException(refused.get());
        }
    }

    /**
     * @param endpoints the HTTP service's {@code osgi.http.endpoint} property: a URL, an array or a collection of them
     * @param allowed whether {@code allow.plain.off.loopback} is set
     * @param rule what counts as loopback
     * @return why nothing may be served: a plain endpoint off loopback (one that cannot be read counts as such)
     */
    static Optional<String> refusal(Object endpoints, boolean allowed, PlainTransport rule) {
        if (allowed) {
            return Optional.empty();
        }
        List<String> plain = new ArrayList<>();
        for (String endpoint : urls(endpoints)) {
            if (!endpoint.regionMatches(true, 0, "https:", 0, 6) && !onLoopback(endpoint, rule)) {
                plain.add(endpoint);
            }
        }
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the hub's HTTP service listens without TLS on " + String.join(", ", plain) + ", which is"
                + " not loopback: in etc/org.apache.felix.http.cfg set org.apache.felix.https.enable = true with a key"
                + " store (org.apache.felix.https.keystore, org.apache.felix.https.keystore.password,"
                + " org.osgi.service.http.port.secure) and org.apache.felix.http.enable = false, or bind"
                + " org.apache.felix.http.host to 127.0.0.1; or set " + PlainTransport.ALLOW_KEY + " = true in etc/"
                + PID + ".cfg if the network is trusted");
    }

    private static boolean onLoopback(String endpoint, PlainTransport rule) {
        try {
            String host = URI.create(endpoint.strip()).getHost();
            return host != null && rule.loopback(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> urls(Object endpoints) {
        List<String> urls = new ArrayList<>();
        if (endpoints instanceof String s) {
            urls.add(s);
        } else if (endpoints instanceof String[] a) {
            urls.addAll(List.of(a));
        } else if (endpoints instanceof Collection<?> c) {
            c.forEach(e -> urls.add(String.valueOf(e)));
        }
        return urls;
    }
}
