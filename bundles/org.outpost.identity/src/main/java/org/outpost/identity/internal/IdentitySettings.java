/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;
import org.slf4j.LoggerFactory;

/**
 * The configuration of the gateway's identities (PID {@value #PID}), shared by the module identities, the certificate
 * authority and the workload API: one file, {@code etc/org.outpost.identity.cfg}, for everything a module is told
 * about where it runs.
 *
 * @param gatewayHostName what modules put in {@code GatewayHostName} and connect to
 * @param hostNames every name and address the server certificate names (the configured ones or the defaults, plus
 *            {@code gatewayHostName}), in order, without repeats
 * @param hubHostName the IoT Hub host name modules sign their SAS tokens for
 * @param workloadDir the folder of the workload sockets
 * @param apiVersion the workload API version modules are told ({@code IOTEDGE_APIVERSION})
 * @param caValidityDays how long a new CA certificate is valid
 * @param serverValidityDays how long a new server certificate is valid
 * @param renewBeforeDays renew a certificate this many days before it expires; 0: when a third of its life is left
 */
record IdentitySettings(String gatewayHostName, List<String> hostNames, String hubHostName, Path workloadDir,
        String apiVersion, int caValidityDays, int serverValidityDays, int renewBeforeDays) {

    static final String PID = "org.outpost.identity";

    @ObjectClassDefinition(name = "Outpost identities", description = "Module identities, the gateway's certificate"
            + " authority and the environment IoT Edge modules get.")
    public @interface Config {
        @AttributeDefinition(description = "The host name modules connect to (IOTEDGE_GATEWAYHOSTNAME, GatewayHostName"
                + " in connection strings); the server certificate names it.")
        String gateway_host_name() default "localhost";

        @AttributeDefinition(description = "Host names and IP addresses the gateway's server certificate names, besides"
                + " gateway.host.name. Empty: localhost, 127.0.0.1 and this machine's host name.")
        String[] host_names() default {};

        @AttributeDefinition(description = "The IoT Hub host name modules sign their SAS tokens for"
                + " (IOTEDGE_IOTHUBHOSTNAME); the same as host.name of org.outpost.twin.")
        String hub_host_name() default "outpost-hub.local";

        @AttributeDefinition(description = "Folder of the modules' workload API sockets; empty means"
                + " ${karaf.data}/outpost/workload.")
        String workload_dir() default "";

        @AttributeDefinition(description = "The workload API version modules are told (IOTEDGE_APIVERSION).")
        String api_version() default "2019-01-30";

        @AttributeDefinition(description = "Days a new CA certificate is valid.")
        int ca_validity_days() default 365;

        @AttributeDefinition(description = "Days a new server certificate is valid (never beyond the CA's).")
        int server_validity_days() default 30;

        @AttributeDefinition(description = "Renew a certificate this many days before it expires; 0: when a third of"
                + " its life is left.")
        int renew_before_days() default 0;
    }

    /** A DNS name: labels of letters, digits and '-', separated by dots. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    IdentitySettings {
        hostNames = List.copyOf(hostNames);
    }

    /**
     * The settings of a (re)configuration, or, if it is invalid, those kept: logged as an error naming what
     * {@code user} keeps.
     *
     * @param keep the settings in use, or null at the first configuration (the defaults are kept then)
     * @param user who keeps them, for the log ("module identities", "the gateway's certificates")
     */
    static IdentitySettings fromOrKeep(Config config, Map<String, ?> raw, Path dataDir, IdentitySettings keep,
            String user) {
        try {
            return from(config, raw, dataDir);
        } catch (InvalidConfigurationException e) {
            LoggerFactory.getLogger(IdentitySettings.class).error("{}; {} keep {}", e.getMessage(), user,
                    keep == null ? "the defaults" : "the current configuration");
            if (keep != null) {
                return keep;
            }
            try {
                return from(ConfigValues.defaults(Config.class), Map.of(), dataDir);
            } catch (InvalidConfigurationException impossible) {
                throw new IllegalStateException("the defaults of " + PID + " are not valid", impossible);
            }
        }
    }

    /**
     * @param dataDir {@code ${karaf.data}}, for the default folders
     * @throws InvalidConfigurationException naming the key and value that cannot be used
     */
    static IdentitySettings from(Config config, Map<String, ?> raw, Path dataDir)
            throws InvalidConfigurationException {
        ConfigValues v = new ConfigValues(PID, config, raw);
        String gateway = v.get("gateway.host.name", config::gateway_host_name, IdentitySettings::isHostName,
                "a host name or IP address");
        List<String> configured = v.get("host.names", () -> split(config.host_names()), names -> names.stream()
                .allMatch(IdentitySettings::isHostName), "host names or IP addresses, separated by commas");
        String hub = v.get("hub.host.name", config::hub_host_name, IdentitySettings::isHostName, "a host name");
        String workload = v.get("workload.dir", config::workload_dir, "a folder");
        String api = v.get("api.version", config::api_version, s -> API_VERSION.matcher(s).matches(),
                "an API version like 2019-01-30");
        int caDays = v.get("ca.validity.days", config::ca_validity_days, d -> d >= 2 && d <= 36500,
                "days, 2 to 36500");
        int serverDays = v.get("server.validity.days", config::server_validity_days, d -> d >= 1 && d < caDays,
                "days, at least 1 and fewer than ca.validity.days (" + caDays + ")");
        int renewDays = v.get("renew.before.days", config::renew_before_days, d -> d >= 0 && d < serverDays,
                "days, 0 (a third of a certificate's life) or fewer than server.validity.days (" + serverDays + ")");
        Set<String> names = new LinkedHashSet<>();
        names.add(gateway);
        names.addAll(configured.isEmpty() ? defaultHostNames() : configured);
        return new IdentitySettings(gateway, List.copyOf(names), hub, workload.isBlank() ? dataDir.resolve("outpost")
                .resolve("workload") : Path.of(workload), api, caDays, serverDays, renewDays);
    }

    /** A .cfg file gives {@code host.names = a, b} as one string: each value may hold several names. */
    private static List<String> split(String[] values) {
        return Arrays.stream(values).flatMap(value -> Arrays.stream(value.split(","))).map(String::trim)
                .filter(n -> !n.isEmpty()).toList();
    }

    /** @return localhost, 127.0.0.1 and this machine's host name (when it has a usable one) */
    static List<String> defaultHostNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        try {
            String own = InetAddress.getLocalHost().getHostName();
            if (isHostName(own)) {
                names.add(own);
            }
        } catch (UnknownHostException e) {
            // No resolvable host name: localhost and 127.0.0.1 are enough on this machine.
        }
        return List.copyOf(names);
    }

    /** @return whether {@code s} is a DNS name or an IPv4 or IPv6 address literal */
    static boolean isHostName(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (isIpAddress(s)) {
            return true;
        }
        return DNS_NAME.matcher(s).matches() && !s.matches("[0-9.]+");
    }

    /** @return whether {@code s} is an IPv4 or IPv6 address literal (never a name to look up) */
    static boolean isIpAddress(String s) {
        var m = IPV4.matcher(s);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return s.contains(":") && s.matches("[0-9A-Fa-f:.]+") && parsesAsAddress(s);
    }

    private static boolean parsesAsAddress(String literal) {
        try {
            // A literal with only hex digits, ':' and '.' is parsed, never looked up.
            InetAddress.getByName(literal);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
