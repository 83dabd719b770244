/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where bundle modules and feature repositories may come from: an allow-list of URL schemes, of directories for
 * {@code file:}, of Maven group ids for {@code mvn:} (empty: any group) and of hosts for URLs such as {@code https:}
 * (empty: none). A location with {@code ..} is never allowed, whatever the lists say.
 *
 * @param schemes allowed schemes, e.g. {@code mvn}, {@code file}, {@code https}
 * @param fileDirectories directories under which {@code file:} locations must be
 * @param mavenGroups group ids (or their prefixes, ending with {@code .}) that {@code mvn:} locations may name; empty
 *            allows any
 * @param hosts host names that URL locations ({@code https:}, {@code http:}) may name, compared ignoring case; a name
 *            starting with {@code *.} allows the hosts below that domain, {@code *} alone any host; empty allows none
 * @since 1.2
 */
public record LocationPolicy(Set<String> schemes, List<Path> fileDirectories, List<String> mavenGroups,
        List<String> hosts) {

    /** Group, artifact, then version, type and classifier (a version may be a range: {@code [1.0,2.0)}). */
    private static final Pattern MVN = Pattern.compile("mvn:([\\w.-]+)/([\\w.-]+)(/[\\w.,()\\[\\]-]*){0,3}");
    private static final String MAVEN_REPOSITORIES = "configure the repositories Maven artifacts may come from in"
            + " etc/org.ops4j.pax.url.mvn.cfg (org.ops4j.pax.url.mvn.repositories) instead";

    public LocationPolicy {
        schemes = Set.copyOf(schemes);
        fileDirectories = fileDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        mavenGroups = List.copyOf(mavenGroups);
        hosts = hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    /**
     * A policy that allows URL locations from any host (as before allowed hosts were checked): for checking the form
     * of a location where the gateway's own lists are not known (the hub's content check).
     */
    public LocationPolicy(Set<String> schemes, List<Path> fileDirectories, List<String> mavenGroups) {
        this(schemes, fileDirectories, mavenGroups, List.of("*"));
    }

    /**
     * @param location a bundle or feature repository location
     * @return why it is not allowed, or empty if it is
     */
    public Optional<String> check(String location) {
        String scheme = location.contains(":") ? location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT)
                : "";
        if (!schemes.contains(scheme)) {
            return Optional.of("location '" + location + "': scheme '" + scheme + "' is not allowed (allowed: "
                    + String.join(", ", schemes.stream().sorted().toList()) + "; see etc/org.outpost.deployment.cfg)");
        }
        if (location.contains("..")) {
            return Optional.of("location '" + location + "': '..' is not allowed in a location");
        }
        return switch (scheme) {
            case "mvn" -> checkMaven(location);
            case "file" -> checkFile(location);
            default -> checkUrl(location, hosts);
        };
    }

    private Optional<String> checkMaven(String location) {
        if (location.indexOf('!') >= 0) {
            return Optional.of("location '" + location + "': a mvn: location may not name its own repository"
                    + " ('<repository>!group/artifact/version'); " + MAVEN_REPOSITORIES);
        }
        if (location.indexOf('@') >= 0) {
            return Optional.of("location '" + location + "': a mvn: location may not carry repository options"
                    + " ('@...'); " + MAVEN_REPOSITORIES);
        }
        var m = MVN.matcher(location);
        if (!m.matches()) {
            return Optional.of("location '" + location + "': not a Maven location (mvn:group/artifact/version)");
        }
        String group = m.group(1);
        if (!mavenGroups.isEmpty() && mavenGroups.stream().noneMatch(g -> g.endsWith(".") ? group.startsWith(g)
                : group.equals(g))) {
            return Optional.of("location '" + location + "': group '" + group + "' is not allowed (allowed: "
                    + String.join(", ", mavenGroups) + ")");
        }
        return Optional.empty();
    }

    private Optional<String> checkFile(String location) {
        Path path;
        try {
            path = Path.of(new URI(location)).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.of("location '" + location + "': not a file URL (file:/absolute/path.jar)");
        }
        if (fileDirectories.stream().noneMatch(path::startsWith)) {
            return Optional.of("location '" + location + "': files may only come from "
                    + String.join(", ", fileDirectories.stream().map(Path::toString).toList()));
        }
        return Optional.empty();
    }

    private static Optional<String> checkUrl(String location, List<String> hosts) {
        try {
            URI u = new URI(location);
            if (u.getHost() == null) {
                return Optional.of("location '" + location + "': no host");
            }
            String host = u.getHost().toLowerCase(Locale.ROOT);
            if (hosts.stream().noneMatch(h -> h.equals("*") || h.equals(host) || h.startsWith("*.")
                    && host.endsWith(h.substring(1)))) {
                return Optional.of("location '" + location + "': host '" + host + "' is not allowed (allowed: "
                        + (hosts.isEmpty() ? "none" : String.join(", ", hosts)) + "; add it to allowed.hosts in"
                        + " etc/org.outpost.deployment.cfg if modules may come from it)");
            }
            if (u.getUserInfo() != null) {
                return Optional.of("location '" + location + "': no user or password in a location (put"
                        + " credentials in the repository's configuration, not in a deployment)");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("location '" + location + "': not a URL (" + e.getReason() + ")");
        }
    }
}
