/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One module of a deployment, as its manifest describes it.
 *
 * @param name the module id
 * @param type what it is
 * @param declaredType the type as the manifest spells it ({@code docker} for a container from IoT Edge)
 * @param version the version label, or empty
 * @param status whether it should run
 * @param restartPolicy when it is started again
 * @param startupOrder 0 starts first; modules without one start last ({@link Integer#MAX_VALUE})
 * @param env environment variables ({@code env.X.value}), sorted by name
 * @param location a bundle's location, else {@code null}
 * @param feature a feature's name, else {@code null}
 * @param featureVersion a feature's version, or {@code null} for the newest in the repositories
 * @param command a container's process command line, else empty
 * @param image a container's OCI image, else {@code null}
 * @param createOptions a container's create options as JSON text, or {@code null}
 * @param configPid the configuration PID that gets the module's env and desired properties ({@code settings.pid}, by
 *            default {@code org.outpost.module.<name>})
 * @param healthCheck a container's health command, else {@code null}
 * @param camel a Camel route module's routes, else {@code null} (since 1.3)
 */
public record ModuleSpec(String name, ModuleType type, String declaredType, String version, DesiredStatus status,
        RestartPolicy restartPolicy, int startupOrder, Map<String, String> env, String location, String feature,
        String featureVersion, List<String> command, String image, String createOptions, String configPid,
        HealthProbe healthCheck, CamelRoutes camel) {

    public ModuleSpec {
        env = Collections.unmodifiableMap(new TreeMap<>(env));
        command = List.copyOf(command);
    }

    /** A module that is not a Camel route module. */
    public ModuleSpec(String name, ModuleType type, String declaredType, String version, DesiredStatus status,
            RestartPolicy restartPolicy, int startupOrder, Map<String, String> env, String location, String feature,
            String featureVersion, List<String> command, String image, String createOptions, String configPid,
            HealthProbe healthCheck) {
        this(name, type, declaredType, version, status, restartPolicy, startupOrder, env, location, feature,
                featureVersion, command, image, createOptions, configPid, healthCheck, null);
    }

    /**
     * @param other the same module in another deployment
     * @return whether what runs must be replaced to go from this to {@code other}: anything but the status, the
     *         restart policy and the startup order differs
     */
    public boolean needsUpdateTo(ModuleSpec other) {
        return !(type == other.type && version.equals(other.version) && env.equals(other.env)
                && java.util.Objects.equals(location, other.location)
                && java.util.Objects.equals(feature, other.feature)
                && java.util.Objects.equals(featureVersion, other.featureVersion) && command.equals(other.command)
                && java.util.Objects.equals(image, other.image)
                && java.util.Objects.equals(createOptions, other.createOptions)
                && configPid.equals(other.configPid) && java.util.Objects.equals(camel, other.camel));
    }
}
