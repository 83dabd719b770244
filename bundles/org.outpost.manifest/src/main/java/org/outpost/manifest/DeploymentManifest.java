/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A checked deployment manifest.
 *
 * @param schemaVersion the {@code $edgeAgent} schema version
 * @param featureRepositories where {@code feature} modules come from ({@code runtime.settings.featureRepositories})
 * @param modules the modules, in startup order (then by name)
 * @param edgeHub the {@code $edgeHub} desired properties as JSON text (routes, store and forward), or {@code null}
 * @param moduleTwins each module's desired properties as JSON text (its own entry in {@code modulesContent})
 * @param registryCredentials the container registries' credentials ({@code runtime.settings.registryCredentials}), by
 *            name
 * @param warnings what the manifest asks for that this gateway does not honour (and ignores), each with its JSON path
 * @since 1.1
 */
public record DeploymentManifest(String schemaVersion, List<String> featureRepositories,
        Map<String, ModuleSpec> modules, String edgeHub, Map<String, String> moduleTwins,
        Map<String, RegistryCredential> registryCredentials, List<String> warnings) {

    public DeploymentManifest {
        featureRepositories = List.copyOf(featureRepositories);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        moduleTwins = Collections.unmodifiableMap(new LinkedHashMap<>(moduleTwins));
        registryCredentials = Collections.unmodifiableMap(new TreeMap<>(registryCredentials));
        warnings = List.copyOf(warnings);
    }

    /** A manifest without registry credentials and warnings. */
    public DeploymentManifest(String schemaVersion, List<String> featureRepositories, Map<String, ModuleSpec> modules,
            String edgeHub, Map<String, String> moduleTwins) {
        this(schemaVersion, featureRepositories, modules, edgeHub, moduleTwins, Map.of(), List.of());
    }
}
