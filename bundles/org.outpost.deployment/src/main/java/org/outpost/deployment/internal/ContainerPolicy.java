/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

/**
 * What a container module may ask of the gateway, deny by default: a process module ({@code settings.command}) runs
 * any program as the gateway's user, so it needs {@code process.modules.enabled}; an image's {@code createOptions} may
 * not make the container privileged, add capabilities, share the host's network, process, IPC, UTS or user
 * namespace, drop its security profile ({@code SecurityOpt} {@code ...unconfined}, {@code label=disable}), or reach
 * host devices and host paths that are not on the operator's lists ({@code container.allowed.*}). Named volumes are
 * allowed. Every refusal names the JSON path of the option and the key that would allow it.
 *
 * @param processModules whether process modules may run ({@code process.modules.enabled})
 * @param privileged whether {@code HostConfig.Privileged: true} is allowed
 * @param capabilities capabilities {@code HostConfig.CapAdd} may name, upper case without {@code CAP_}
 * @param hostNamespaces the host namespaces a container may share: {@code network}, {@code pid}, {@code ipc},
 *            {@code uts}, {@code userns}
 * @param unconfined whether a {@code SecurityOpt} may turn a security profile off
 * @param devices host devices (or directories of them) {@code HostConfig.Devices} may name
 * @param bindPaths host directories {@code HostConfig.Binds} and bind {@code Mounts} may name, with what is below
 */
record ContainerPolicy(boolean processModules, boolean privileged, Set<String> capabilities,
        Set<String> hostNamespaces, boolean unconfined, List<Path> devices, List<Path> bindPaths) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CFG = " in etc/org.outpost.deployment.cfg";
    /** createOptions' HostConfig field for each host namespace. */
    private static final List<List<String>> NAMESPACES = List.of(List.of("NetworkMode", "network"),
            List.of("PidMode", "pid"), List.of("IpcMode", "ipc"), List.of("UTSMode", "uts"),
            List.of("UsernsMode", "userns"));

    ContainerPolicy {
        capabilities = capabilities.stream().map(ContainerPolicy::capability).collect(Collectors.toUnmodifiableSet());
        hostNamespaces = hostNamespaces.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(
                Collectors.toUnmodifiableSet());
        devices = devices.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        bindPaths = bindPaths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    static ContainerPolicy of(DeploymentConfig config) {
        return new ContainerPolicy(config.process_modules_enabled(), config.container_allowed_privileged(),
                Set.copyOf(DeploymentService.list(config.container_allowed_capabilities())),
                Set.copyOf(DeploymentService.list(config.container_allowed_host_namespaces())),
                config.container_allowed_unconfined(), paths(config.container_allowed_devices()),
                paths(config.container_allowed_bind_paths()));
    }

    private static List<Path> paths(String[] values) {
        return DeploymentService.list(values).stream().map(Path::of).toList();
    }

    /**
     * @throws ManifestException (400) naming the JSON path of the first thing the module may not do, and the key
     *             that would allow it
     */
    void check(ModuleSpec spec) throws ManifestException {
        if (spec.type() != ModuleType.CONTAINER) {
            return;
        }
        String at = "modulesContent.$edgeAgent.properties.desired.modules." + spec.name() + ".settings";
        if (!spec.command().isEmpty() && !processModules) {
            throw new ManifestException(400, at + ".command", "process modules are off on this gateway: a process"
                    + " module runs any program as the gateway's user, with its files and rights. Run the module as"
                    + " an image (settings.image), or set process.modules.enabled = true" + CFG + " if whoever can"
                    + " deploy to this gateway may do that");
        }
        if (spec.createOptions() == null || spec.createOptions().isBlank()) {
            return;
        }
        JsonNode hc;
        try {
            hc = JSON.readTree(spec.createOptions()).path("HostConfig");
        } catch (JsonProcessingException e) {
            return; // The parser reported malformed createOptions already.
        }
        check(hc, at + ".createOptions.HostConfig");
    }

    private void check(JsonNode hc, String at) throws ManifestException {
        JsonNode p = hc.path("Privileged");
        if (!privileged && (p.isBoolean() && p.booleanValue() || p.isTextual() && p.textValue().equalsIgnoreCase(
                "true"))) {
            throw refused(at + ".Privileged", "a privileged container has every capability and every host device",
                    "container.allowed.privileged = true");
        }
        JsonNode caps = hc.path("CapAdd");
        for (int i = 0; i < caps.size(); i++) {
            String cap = caps.get(i).asText();
            if (!capabilities.contains(capability(cap))) {
                throw refused(at + ".CapAdd[" + i + "]", "capability '" + cap + "' is not allowed (allowed: "
                        + listed(capabilities) + ")", "container.allowed.capabilities = " + capability(cap));
            }
        }
        for (List<String> ns : NAMESPACES) {
            if (hc.path(ns.get(0)).asText("").equalsIgnoreCase("host") && !hostNamespaces.contains(ns.get(1))) {
                throw refused(at + "." + ns.get(0), "the container may not share the host's " + ns.get(1)
                        + " namespace", "container.allowed.host.namespaces = " + ns.get(1));
            }
        }
        JsonNode opts = hc.path("SecurityOpt");
        for (int i = 0; i < opts.size(); i++) {
            String opt = opts.get(i).asText().toLowerCase(Locale.ROOT);
            if (!unconfined && (opt.contains("unconfined") || opt.replace(':', '=').equals("label=disable"))) {
                throw refused(at + ".SecurityOpt[" + i + "]", "'" + opts.get(i).asText() + "' turns a security"
                        + " profile off", "container.allowed.unconfined = true");
            }
        }
        JsonNode devs = hc.path("Devices");
        for (int i = 0; i < devs.size(); i++) {
            String host = devs.get(i).path("PathOnHost").asText("");
            if (!under(host, devices)) {
                throw refused(at + ".Devices[" + i + "].PathOnHost", "host device '" + host + "' is not allowed"
                        + " (allowed: " + listed(devices) + ")", "container.allowed.devices = " + host);
            }
        }
        JsonNode binds = hc.path("Binds");
        for (int i = 0; i < binds.size(); i++) {
            String source = binds.get(i).asText().split(":", 2)[0];
            checkBind(source, at + ".Binds[" + i + "]");
        }
        JsonNode mounts = hc.path("Mounts");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            String type = m.path("Type").asText("volume").toLowerCase(Locale.ROOT);
            if (!type.equals("volume") && !type.equals("tmpfs")) {
                checkBind(m.path("Source").asText(""), at + ".Mounts[" + i + "].Source");
            }
        }
    }

    /** A bind's source is a host path (absolute) or a named volume (a name), which is allowed. */
    private void checkBind(String source, String at) throws ManifestException {
        boolean volume = !source.isEmpty() && !source.contains("/") && !source.startsWith(".");
        if (!volume && !under(source, bindPaths)) {
            throw refused(at, "host path '" + source + "' is not allowed (allowed: " + listed(bindPaths)
                    + "; a named volume is)", "container.allowed.bind.paths = " + source);
        }
    }

    /** @return whether {@code path} is absolute, without {@code ..}, and one of {@code allowed} or below one */
    private static boolean under(String path, List<Path> allowed) {
        if (!path.startsWith("/") || List.of(path.split("/")).contains("..")) {
            return false;
        }
        Path p = Path.of(path).normalize();
        return allowed.stream().anyMatch(p::startsWith);
    }

    private static ManifestException refused(String at, String why, String allowWith) {
        return new ManifestException(400, at, why + "; refused by the deployment policy (to allow it knowingly, set "
                + allowWith + CFG + ")");
    }

    private static String capability(String name) {
        String c = name.strip().toUpperCase(Locale.ROOT);
        return c.startsWith("CAP_") ? c.substring(4) : c;
    }

    private static String listed(java.util.Collection<?> values) {
        return values.isEmpty() ? "none" : values.stream().map(Object::toString).sorted().collect(
                Collectors.joining(", "));
    }
}
