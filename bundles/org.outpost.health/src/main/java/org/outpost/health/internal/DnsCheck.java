/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;

/**
 * DNS of the cloud's hosts (iotedge check's "DNS server" and "hostname" checks): every {@code url} of the upstream and
 * twin configurations must resolve. The runner's timeout bounds a resolver that hangs.
 */
@Component(service = Check.class, property = {Check.NAME + "=upstream DNS", Check.TAGS + "=connectivity",
    Check.TAGS + "=dns"})
public final class DnsCheck implements Check {

    /** The configurations whose {@code url} names a cloud host. */
    static final String FILTER = "(&(url=*)(|(service.pid=org.outpost.twin)(service.pid=org.outpost.upstream*)"
            + "(service.factoryPid=org.outpost.upstream*)))";

    /** Resolves a host name; the JDK's resolver outside tests. */
    interface Resolver {
        List<String> resolve(String host) throws UnknownHostException;
    }

    private final ConfigurationAdmin configurations;
    private final Resolver resolver;

    @Activate
    public DnsCheck(@Reference ConfigurationAdmin configurations) {
        this(configurations, host -> Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress)
                .toList());
    }

    DnsCheck(ConfigurationAdmin configurations, Resolver resolver) {
        this.configurations = configurations;
        this.resolver = resolver;
    }

    @Override
    public CheckResult run() throws IOException, InvalidSyntaxException {
        Map<String, String> hosts = new LinkedHashMap<>();
        Configuration[] found = configurations.listConfigurations(FILTER);
        for (Configuration c : found == null ? new Configuration[0] : found) {
            if (c.getProperties().get("url") instanceof String url && !url.isBlank()) {
                try {
                    String host = URI.create(url.strip()).getHost();
                    if (host != null) {
                        hosts.putIfAbsent(host, c.getPid());
                    }
                } catch (IllegalArgumentException e) {
                    return CheckResult.critical("url of " + c.getPid() + " is not a URL: " + url, "fix url in etc/"
                            + c.getPid() + ".cfg (ssl://host:8883)");
                }
            }
        }
        return judge(hosts, resolver);
    }

    static CheckResult judge(Map<String, String> hosts, Resolver resolver) {
        if (hosts.isEmpty()) {
            return CheckResult.ok("no cloud host configured");
        }
        List<String> resolved = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, String> e : hosts.entrySet()) {
            try {
                resolved.add(e.getKey() + " = " + String.join(" ", resolver.resolve(e.getKey())));
            } catch (UnknownHostException ex) {
                failed.add(e.getKey() + " (url of " + e.getValue() + ")");
            }
        }
        if (!failed.isEmpty()) {
            return CheckResult.critical("cannot resolve " + String.join(", ", failed), "check the host name in the"
                    + " configuration named, and the gateway's DNS servers (/etc/resolv.conf, or add the host to"
                    + " /etc/hosts)");
        }
        return CheckResult.ok(resolved.stream().collect(Collectors.joining("; ")));
    }
}
