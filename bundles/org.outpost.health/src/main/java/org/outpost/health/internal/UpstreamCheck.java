/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.time.Duration;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.api.runtime.Upstream;
import org.outpost.api.runtime.UpstreamStatus;

/**
 * Upstream reachable and authenticated (iotedge check's "host can connect to and perform TLS handshake with IoT Hub"):
 * connected is ok; refused credentials are critical (nothing reaches the cloud until they are fixed); otherwise
 * disconnected is a warning (messages wait in the queue).
 */
@Component(service = Check.class, property = {Check.NAME + "=cloud connection", Check.TAGS + "=connectivity",
    Check.TAGS + "=upstream"})
public final class UpstreamCheck implements Check {

    private static final String CONFIG = "etc/org.outpost.upstream.cfg";

    private final Upstream upstream;

    @Activate
    public UpstreamCheck(@Reference Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public CheckResult run() {
        return judge(upstream.status(), Instant.now());
    }

    static CheckResult judge(UpstreamStatus u, Instant now) {
        if ("connected".equals(u.state())) {
            return CheckResult.ok("connected to " + u.url() + " as " + u.clientId() + (u.connectedSince() == null ? ""
                    : " since " + u.connectedSince()) + "; " + u.queued() + " messages queued");
        }
        String error = u.lastError();
        String since = u.lastErrorTime() == null ? "" : " (" + Duration.between(u.lastErrorTime(), now).toSeconds()
                + " s ago)";
        if ("stopped".equals(u.state())) {
            return CheckResult.warn("the upstream link is stopped", "see edge:upstream and the log; check " + CONFIG);
        }
        if (error.contains("[reason 4]") || error.contains("[reason 5]")) {
            return CheckResult.critical("the cloud " + u.url() + " refuses the gateway's credentials: " + error
                    + since, "check username (the device id) and url in " + CONFIG + ", and the device key"
                            + " (device.key) or password (upstream.password) in etc/outpost-secrets/gateway.properties"
                            + " against the hub's (hub:device-show)");
        }
        if (error.contains("UnknownHost")) {
            return CheckResult.critical("the cloud's host name does not resolve: " + error + since, "check the host"
                    + " of url in " + CONFIG + " and the gateway's DNS (/etc/resolv.conf); see the upstream DNS check");
        }
        if (error.contains("cannot use tls.ca") || error.contains("SSL") || error.contains("certificate")) {
            return CheckResult.critical("TLS with " + u.url() + " fails: " + error + since, "check tls.ca in " + CONFIG
                    + ": it must hold the CA of the cloud's certificate, whose names must include the url's host");
        }
        return CheckResult.warn(u.state() + " to " + u.url() + (error.isEmpty() ? "" : ": " + error + since) + "; "
                + u.queued() + " messages wait in the queue", "check that the cloud is up and reachable from here"
                        + " (firewall, proxy: the port of url in " + CONFIG + "); messages are sent when it is back");
    }
}
