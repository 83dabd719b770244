/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.manifest.CreateOptions;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's container modules: a process each, run directly ({@code settings.command}) or through a container
 * engine ({@code settings.image}), each in its own directory under {@code ${karaf.data}/outpost/containers}, with its
 * env and the broker credentials the runtime grants it. The processes themselves are kept in {@link ContainerProcesses},
 * where the runtime sees them.
 */
final class ContainerModules {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerModules.class);

    private final Path directory;
    private final ModuleAccess access;
    private final List<String> engines;
    private final long maxLogBytes;
    private final ContainerProcesses processes;

    /**
     * @param processes where the processes are kept
     * @param engines container engines to look for, in order: names on the PATH, or paths
     */
    ContainerModules(Path directory, ModuleAccess access, ContainerProcesses processes, List<String> engines,
            long maxLogBytes) {
        this.directory = directory;
        this.processes = processes;
        this.access = access;
        this.engines = List.copyOf(engines);
        this.maxLogBytes = maxLogBytes;
    }

    /**
     * @throws ManifestException if an image module needs a container engine and none is installed
     */
    void checkSupported(ModuleSpec spec) throws ManifestException {
        if (spec.type() == ModuleType.CONTAINER && spec.command().isEmpty() && engine() == null) {
            throw new ManifestException(400, "modulesContent.$edgeAgent.properties.desired.modules." + spec.name()
                    + ".settings.image", "no container engine (" + String.join(" or ", engines) + ") is installed"
                            + " on this gateway: install one, or run the module as a process with settings.command");
        }
    }

    /** @return the module's process, or null if it has none */
    ProcessModule get(String module) {
        return processes.get(module);
    }

    boolean has(String module) {
        return processes.manages(module);
    }

    /**
     * Prepares a module's process, with fresh broker credentials, and starts it if asked.
     *
     * @throws java.io.IOException if its program cannot be started
     */
    ProcessModule install(ModuleSpec spec, boolean start) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.putAll(access.grant(spec.name()));
        ProcessModule p = new ProcessModule(spec.name(), commandOf(spec, env), env, directory.resolve(spec.name()),
                maxLogBytes);
        processes.put(spec.name(), spec.version(), p);
        if (start) {
            p.start();
        }
        return p;
    }

    /** Stops a module's process and withdraws its credentials. */
    void remove(String module) throws InterruptedException {
        ProcessModule p = processes.remove(module);
        try {
            if (p != null) {
                p.stop();
            }
        } finally {
            access.revoke(module);
        }
    }

    /** Stops and forgets every process (the gateway stops; they start again with it). */
    void stopAll() {
        for (ProcessModule p : processes.removeAll()) {
            try {
                p.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the module as the runtime lists it, or null if it has no process */
    ModuleInfo info(ModuleSpec spec) {
        return processes.info(spec.name());
    }

    /**
     * @return the command line of a container module: its command, or its image run by the container engine with its
     *         createOptions translated; values of the environment reach the engine by name only
     */
    private List<String> commandOf(ModuleSpec spec, Map<String, String> env) throws ManifestException {
        if (!spec.command().isEmpty()) {
            return spec.command();
        }
        CreateOptions options = CreateOptions.parse(spec.createOptions(), "modules." + spec.name()
                + ".settings.createOptions");
        String engine = Objects.requireNonNull(engine(), "no container engine");
        if (!options.ignored().isEmpty()) {
            LOG.warn("Module {}: these createOptions are not translated for {} and are ignored: {}", spec.name(),
                    engine, String.join(", ", options.ignored()));
        }
        List<String> c = new ArrayList<>(List.of(engine, "run", "--rm", "--name", "outpost-" + spec.name()));
        c.addAll(options.runOptions());
        env.keySet().forEach(k -> {
            c.add("-e");
            c.add(k);
        });
        c.add(spec.image());
        c.addAll(options.command());
        return c;
    }

    /** @return the first container engine found, or null */
    private String engine() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
        for (String name : engines) {
            if (name.contains("/")) {
                if (Files.isExecutable(Path.of(name))) {
                    return name;
                }
                continue;
            }
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
