/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;

/**
 * Ports the gateway needs (iotedge check's "container engine can bind to ports" and edgeHub's port checks): the IoT Hub
 * endpoint's {@code tls.port}, {@code port} and {@code websocket.port}, the metrics endpoint's {@code port}, and
 * {@code ports} of this bundle's configuration. A port another process holds is critical (our listener could not
 * start); a port nobody listens on is a warning (the listener failed or is not started: the log says why).
 */
@Component(service = Check.class, configurationPid = HealthConfig.PID, property = {Check.NAME + "=ports",
    Check.TAGS + "=network", Check.TAGS + "=connectivity"})
public final class PortsCheck implements Check {

    /** A port the gateway should listen on. */
    record Wanted(int port, String what, String where) {
    }

    private final ConfigurationAdmin configurations;
    private final String extra;

    @Activate
    public PortsCheck(@Reference ConfigurationAdmin configurations, HealthConfig config) {
        this.configurations = configurations;
        this.extra = config.ports();
    }

    @Override
    public CheckResult run() throws IOException, InvalidSyntaxException {
        List<Wanted> wanted = new ArrayList<>();
        Dictionary<String, Object> edgehub = properties("org.outpost.edgehub");
        if (edgehub != null) {
            add(wanted, edgehub, "tls.port", 8883, "the IoT Hub endpoint (MQTT over TLS)", "org.outpost.edgehub");
            add(wanted, edgehub, "port", -1, "the IoT Hub endpoint (plain MQTT)", "org.outpost.edgehub");
            add(wanted, edgehub, "websocket.port", 443, "the IoT Hub endpoint (MQTT over WebSockets)",
                    "org.outpost.edgehub");
        }
        Dictionary<String, Object> metrics = properties("org.outpost.metrics");
        if (metrics != null) {
            add(wanted, metrics, "port", 9600, "the metrics endpoint", "org.outpost.metrics");
        }
        wanted.addAll(parse(extra));
        Optional<Listeners> listeners = Listeners.read(Path.of("/proc"));
        if (listeners.isEmpty()) {
            return CheckResult.ok("not measured: this system has no /proc/net/tcp; wanted "
                    + wanted.stream().map(w -> String.valueOf(w.port())).toList());
        }
        return judge(wanted, listeners.get());
    }

    private Dictionary<String, Object> properties(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurations.listConfigurations("(service.pid=" + pid + ")");
        return found == null || found.length == 0 ? null : found[0].getProperties();
    }

    private static void add(List<Wanted> wanted, Dictionary<String, Object> properties, String key, int fallback,
            String what, String pid) {
        Object value = properties.get(key);
        int port;
        try {
            port = value == null ? fallback : Integer.parseInt(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            return; // the configuration check and the component's own log name a key that is not a number
        }
        if (port > 0) {
            wanted.add(new Wanted(port, what, key + " in etc/" + pid + ".cfg"));
        }
    }

    /** @return the ports of {@code ports}: {@code 8443:my module's API, 5000:...} */
    static List<Wanted> parse(String ports) {
        List<Wanted> result = new ArrayList<>();
        for (String item : ports == null ? new String[0] : ports.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.indexOf(':');
            String number = colon < 0 ? s : s.substring(0, colon);
            String what = colon < 0 ? "port " + number : s.substring(colon + 1).strip();
            try {
                result.add(new Wanted(Integer.parseInt(number.strip()), what, "ports in etc/" + HealthConfig.PID
                        + ".cfg"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ports in etc/" + HealthConfig.PID + ".cfg: '" + s + "' is not"
                        + " port:what", e);
            }
        }
        return result;
    }

    static CheckResult judge(List<Wanted> wanted, Listeners listeners) {
        Map<Integer, Wanted> byPort = new LinkedHashMap<>();
        wanted.forEach(w -> byPort.putIfAbsent(w.port(), w));
        List<String> taken = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Wanted w : byPort.values()) {
            switch (listeners.owner(w.port())) {
                case US -> ok.add(String.valueOf(w.port()));
                case OTHER -> {
                    taken.add(w.port() + " (" + w.what() + ") is taken by another process");
                    keys.add(w.where());
                }
                case NONE -> {
                    missing.add("nothing listens on " + w.port() + " (" + w.what() + ")");
                    keys.add(w.where());
                }
            }
        }
        if (!taken.isEmpty()) {
            taken.addAll(missing);
            return CheckResult.critical(String.join("; ", taken), "stop the other process (ss -ltnp shows it) or"
                    + " move to a free port: " + String.join(", ", keys) + "; then restart the gateway");
        }
        if (!missing.isEmpty()) {
            return CheckResult.warn(String.join("; ", missing), "see the log for why the listener did not start (a"
                    + " port below 1024 needs privileges), or set the port to -1 if it is not wanted: "
                    + String.join(", ", keys));
        }
        return CheckResult.ok(ok.isEmpty() ? "no ports configured" : "listening on " + String.join(", ", ok));
    }
}
