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
 * {@code file:} and of Maven group ids for {@code mvn:} (empty: any group). A location with {@code ..} is never
 * allowed, whatever the lists say.
 *
 * @param schemes allowed schemes, e.g. {@code mvn}, {@code file}, {@code https}
 * @param fileDirectories directories under which {@code file:} locations must be
 * @param mavenGroups group ids (or their prefixes, ending with {@code .}) that {@code mvn:} locations may name; empty
 *            allows any
 */
public record LocationPolicy(Set<String> schemes, List<Path> fileDirectories, List<String> mavenGroups) {

    /** Group, artifact, then version, type and classifier (a version may be a range: {@code [1.0,2.0)}). */
    private static final Pattern MVN = Pattern.compile("mvn:([\\w.-]+)/([\\w.-]+)(/[\\w.,()\\[\\]-]*){0,3}");
    private static final String MAVEN_REPOSITORIES = "configure the repositories Maven artifacts may come from in"
            + " etc/org.ops4j.pax.url.mvn.cfg (org.ops4j.pax.url.mvn.repositories) instead";

    public LocationPolicy {
        schemes = Set.copyOf(schemes);
        fileDirectories = fileDirectories.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        mavenGroups = List.copyOf(mavenGroups);
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
            default -> checkUrl(location);
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

    private static Optional<String> checkUrl(String location) {
        try {
            URI u = new URI(location);
            if (u.getHost() == null) {
                return Optional.of("location '" + location + "': no host");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("location '" + location + "': not a URL (" + e.getReason() + ")");
        }
    }
}
