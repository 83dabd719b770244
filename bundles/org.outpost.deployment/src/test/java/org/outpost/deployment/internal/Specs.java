/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.outpost.manifest.RestartPolicy;

/** Modules and deployments for tests, and stand-ins for the framework's big interfaces. */
final class Specs {

    private Specs() {
    }

    static ModuleSpec module(String name, ModuleType type, DesiredStatus status, RestartPolicy policy,
            Map<String, String> env) {
        return new ModuleSpec(name, type, type.name().toLowerCase(java.util.Locale.ROOT), "1.0", status, policy, 0,
                env, type == ModuleType.BUNDLE ? "mvn:org.acme/" + name + "/1.0" : null,
                type == ModuleType.FEATURE ? "acme-" + name : null, null,
                type == ModuleType.CONTAINER ? List.of("/bin/true") : List.of(), null, null,
                "org.outpost.module." + name, null);
    }

    /** @return the same module at another version */
    static ModuleSpec version(ModuleSpec s, String version) {
        return new ModuleSpec(s.name(), s.type(), s.declaredType(), version, s.status(), s.restartPolicy(),
                s.startupOrder(), s.env(), s.location(), s.feature(), s.featureVersion(), s.command(), s.image(),
                s.createOptions(), s.configPid(), s.healthCheck());
    }

    static ModuleSpec running(String name, ModuleType type) {
        return module(name, type, DesiredStatus.RUNNING, RestartPolicy.ALWAYS, Map.of());
    }

    static ModuleSpec container(String name, DesiredStatus status, List<String> command, String image) {
        return new ModuleSpec(name, ModuleType.CONTAINER, "container", "", status, RestartPolicy.ALWAYS, 0,
                Map.of("LEVEL", "debug"), null, null, null, command, image, null, "org.outpost.module." + name, null);
    }

    static DeploymentManifest deployment(String edgeHub, ModuleSpec... modules) {
        Map<String, ModuleSpec> m = new LinkedHashMap<>();
        Arrays.stream(modules).forEach(s -> m.put(s.name(), s));
        return new DeploymentManifest("1.1", List.of(), m, edgeHub, Map.of());
    }

    /**
     * @return an implementation of {@code type} whose methods answer {@code answer.apply(name, args)}
     */
    @SuppressWarnings("unchecked")
    static <T> T stub(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(Specs.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> type.getSimpleName() + " stub";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> answer.apply(method.getName(), args);
                });
    }
}
