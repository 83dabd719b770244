/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.LocationPolicy;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ManifestParser;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

/**
 * The gateway's deployment policy, module by module: where a module may come from ({@link LocationPolicy}:
 * {@code allowed.schemes}, {@code allowed.file.dirs}, {@code allowed.maven.groups}, {@code allowed.hosts}), which
 * configuration it may have ({@link ConfigPids}) and what a container module may ask of the gateway
 * ({@link ContainerPolicy}). A deployment is checked before anything changes; the deployment saved by an earlier run
 * is checked again when the gateway starts, since the policy may have been tightened since.
 */
final class DeploymentPolicy {

    /** Reads back what was applied before: the form of each location is checked, not the policy (done module by module). */
    private static final LocationPolicy ANY_LOCATION = new LocationPolicy(Set.of("mvn", "file", "https", "http"),
            List.of(Path.of("/").toAbsolutePath()), List.of());

    private final LocationPolicy locations;
    private final ConfigPids pids;
    private final ContainerPolicy containers;

    DeploymentPolicy(LocationPolicy locations, ConfigPids pids, ContainerPolicy containers) {
        this.locations = locations;
        this.pids = pids;
        this.containers = containers;
    }

    /** @param home {@code ${karaf.home}}, @param data {@code ${karaf.data}}, expanded in {@code allowed.file.dirs} */
    static DeploymentPolicy of(DeploymentConfig config, String home, String data) {
        return new DeploymentPolicy(new LocationPolicy(Set.copyOf(DeploymentService.list(config.allowed_schemes())),
                DeploymentService.list(config.allowed_file_dirs()).stream().map(d -> Path.of(d.replace(
                        "${karaf.home}", home).replace("${karaf.data}", data))).toList(),
                DeploymentService.list(config.allowed_maven_groups()), DeploymentService.list(config.allowed_hosts())),
                ConfigPids.of(config), ContainerPolicy.of(config));
    }

    /** @return the parser of new deployments: it refuses locations the policy does not allow */
    ManifestParser parser() {
        return new ManifestParser(locations);
    }

    /** @return a parser of the deployment saved by an earlier run, whose modules {@link #refusals} then checks */
    static ManifestParser savedParser() {
        return new ManifestParser(ANY_LOCATION);
    }

    /** @throws ManifestException (400) for the first module the policy refuses, with the JSON path of why */
    void check(DeploymentManifest deployment) throws ManifestException {
        for (ModuleSpec spec : deployment.modules().values()) {
            check(deployment, spec);
        }
    }

    /** @return the modules the policy refuses, each with why ({@code 400 <path>: <reason>}), in deployment order */
    Map<String, String> refusals(DeploymentManifest deployment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ModuleSpec spec : deployment.modules().values()) {
            try {
                check(deployment, spec);
            } catch (ManifestException e) {
                out.put(spec.name(), e.getMessage());
            }
        }
        return out;
    }

    private void check(DeploymentManifest deployment, ModuleSpec spec) throws ManifestException {
        String at = "modulesContent.$edgeAgent.properties.desired.";
        if (spec.type() == ModuleType.BUNDLE) {
            String why = locations.check(spec.location()).orElse(null);
            if (why != null) {
                throw new ManifestException(400, at + "modules." + spec.name() + ".settings.location", why);
            }
        }
        if (spec.type() == ModuleType.CAMEL && spec.camel() != null) {
            for (int i = 0; i < spec.camel().locations().size(); i++) {
                String why = locations.check(spec.camel().locations().get(i)).orElse(null);
                if (why != null) {
                    throw new ManifestException(400, at + "modules." + spec.name() + ".settings.routes"
                            + (spec.camel().locations().size() == 1 ? "" : "[" + i + "]"), why);
                }
            }
        }
        if (spec.type() == ModuleType.FEATURE) {
            for (int i = 0; i < deployment.featureRepositories().size(); i++) {
                String why = locations.check(deployment.featureRepositories().get(i)).orElse(null);
                if (why != null) {
                    throw new ManifestException(400, at + "runtime.settings.featureRepositories[" + i + "]", why);
                }
            }
        }
        pids.check(spec);
        containers.check(spec);
    }
}
