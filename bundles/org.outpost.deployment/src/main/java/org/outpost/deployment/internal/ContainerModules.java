/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.outpost.api.runtime.ModuleAccess;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.commons.AtomicFiles;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentities.Placement;
import org.outpost.manifest.CreateOptions;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's container modules: a process each, run directly ({@code settings.command}) or through a container
 * engine ({@code settings.image}), each in its own directory under {@code ${karaf.data}/outpost/containers}, with its
 * env, the broker credentials the runtime grants it and the environment IoT Edge gives a module (its identity's, see
 * {@link ModuleIdentities#environment}), in that order, so that the manifest's env cannot change what identifies the
 * module, as in IoT Edge. A container also gets its workload socket mounted at IoT Edge's path, and its image pulled
 * (with the deployment's registry credentials, {@link RegistryAuth}) when a deployment installs it. The processes
 * themselves are kept in {@link ContainerProcesses}, where the runtime sees them.
 * <p>
 * The broker password is not in the module's environment (which other processes of the same user can read in
 * {@code /proc/<pid>/environ}, and a container engine shows in {@code inspect}): it is in an owner-only file in the
 * module's directory ({@code secrets/mqtt-password}, directory 0700, file 0600), whose path is
 * {@value #MQTT_PASSWORD_FILE}; a container gets the file mounted read-only at {@value #CONTAINER_SECRET}. IoT Edge's
 * own variables ({@code IOTEDGE_*}) carry no key: a module signs through its workload socket.
 */
final class ContainerModules {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerModules.class);
    /** The variable that names the file holding the module's broker password. */
    static final String MQTT_PASSWORD_FILE = "OUTPOST_MQTT_PASSWORD_FILE";
    /** Where a container finds its broker password file. */
    static final String CONTAINER_SECRET = "/run/secrets/outpost/mqtt-password";

    private final Path directory;
    private final ModuleAccess access;
    private final ModuleIdentities identities;
    private final RegistryAuth registry;
    private final Duration pullTimeout;
    private final List<String> engines;
    private final long maxLogBytes;
    private final ContainerProcesses processes;
    private final String network;
    private final Set<String> inherited;

    /**
     * @param processes where the processes are kept
     * @param engines container engines to look for, in order: names on the PATH, or paths
     * @param network the network an image runs on when its createOptions name none ({@code container.network});
     *            empty for the engine's default
     */
    ContainerModules(Path directory, ModuleAccess access, ModuleIdentities identities, RegistryAuth registry,
            ContainerProcesses processes, List<String> engines, long maxLogBytes, Duration pullTimeout,
            String network) {
        this(directory, access, identities, registry, processes, engines, maxLogBytes, pullTimeout, network, null);
    }

    /**
     * @param inherited the gateway's environment variables a process module keeps beside its own
     *            ({@code process.environment.inherit}), or null for all; the container engine keeps all of them
     */
    ContainerModules(Path directory, ModuleAccess access, ModuleIdentities identities, RegistryAuth registry,
            ContainerProcesses processes, List<String> engines, long maxLogBytes, Duration pullTimeout,
            String network, Set<String> inherited) {
        this.inherited = inherited;
        this.directory = directory;
        this.network = network.strip();
        this.processes = processes;
        this.access = access;
        this.identities = identities;
        this.registry = registry;
        this.pullTimeout = pullTimeout;
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

    /** @return where the deployment's registry credentials are kept for the engine */
    RegistryAuth registry() {
        return registry;
    }

    /**
     * Prepares a module's process, with fresh broker credentials and its identity's environment (the identity made if
     * it has none), and starts it if asked.
     *
     * @param pull whether an image module pulls its image first (a deployment installs it), rather than running the
     *            image the engine has (the gateway starts again)
     * @throws java.io.IOException if its program cannot be started
     */
    ProcessModule install(ModuleSpec spec, boolean start, boolean pull) throws Exception {
        boolean container = spec.command().isEmpty();
        identities.create(spec.name());
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        Map<String, String> granted = new LinkedHashMap<>(access.grant(spec.name()));
        String password = granted.remove(ModuleAccess.MQTT_PASSWORD);
        Path secret = password == null ? null : writeSecret(spec.name(), password);
        env.putAll(granted);
        if (secret != null) {
            env.put(MQTT_PASSWORD_FILE, container ? CONTAINER_SECRET : secret.toString());
        }
        env.putAll(identities.environment(spec.name(), container ? Placement.CONTAINER : Placement.PROCESS));
        String engine = container ? Objects.requireNonNull(engine(), "no container engine") : null;
        ProcessModule.Pull pulling = container && pull ? new ProcessModule.Pull(registry.pullCommand(engine,
                spec.image()), spec.image(), pullTimeout) : null;
        ProcessModule p = new ProcessModule(spec.name(), container ? run(engine, spec, env, secret) : spec.command(),
                env, directory.resolve(spec.name()), maxLogBytes, pulling, container ? null : inherited);
        processes.put(spec.name(), spec.version(), p, engine);
        if (start) {
            p.start();
        }
        return p;
    }

    /** @return the owner-only file that now holds the module's broker password */
    private Path writeSecret(String module, String password) throws java.io.IOException {
        Path dir = directory.resolve(module).resolve("secrets");
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory has what the platform gives.
        }
        Path file = dir.resolve("mqtt-password");
        AtomicFiles.writeOwnerOnly(file, password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return file;
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
            try {
                Files.deleteIfExists(directory.resolve(module).resolve("secrets").resolve("mqtt-password"));
            } catch (java.io.IOException e) {
                LOG.warn("Module {}: its revoked broker password file could not be deleted: {}", module, e.toString());
            }
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
     * @return the command line that runs a module's image with the container engine, its createOptions translated
     *         (on {@code container.network} if they name no network), its workload socket mounted at IoT Edge's path,
     *         {@code --} before the image; values of the environment reach the engine by name only
     */
    private List<String> run(String engine, ModuleSpec spec, Map<String, String> env, Path secret)
            throws ManifestException {
        CreateOptions options = CreateOptions.parse(spec.createOptions(), "modules." + spec.name()
                + ".settings.createOptions");
        if (!options.ignored().isEmpty()) {
            LOG.warn("Module {}: these createOptions are not translated for {} and are ignored: {}", spec.name(),
                    engine, String.join(", ", options.ignored()));
        }
        List<String> c = new ArrayList<>(List.of(engine, "run", "--rm", "--name", "outpost-" + spec.name()));
        if (!network.isEmpty() && !options.runOptions().contains("--network")) {
            c.addAll(List.of("--network", network));
        }
        c.addAll(options.runOptions());
        // As in IoT Edge, createOptions' Env has the last word: a name it sets is not passed again.
        Set<String> setByOptions = new HashSet<>();
        for (int i = 0; i + 1 < options.runOptions().size(); i++) {
            if (options.runOptions().get(i).equals("-e")) {
                setByOptions.add(options.runOptions().get(i + 1).split("=", 2)[0]);
            }
        }
        env.keySet().stream().filter(k -> !setByOptions.contains(k)).forEach(k -> {
            c.add("-e");
            c.add(k);
        });
        c.add("-v");
        c.add(workloadSocket(spec.name()) + ":" + Placement.CONTAINER_WORKLOAD_SOCKET);
        if (secret != null) {
            c.add("-v");
            c.add(secret + ":" + CONTAINER_SECRET + ":ro");
        }
        // The image is an argument, never an option, whatever it looks like (the manifest parser refuses '-...').
        c.add("--");
        c.add(spec.image());
        c.addAll(options.command());
        return c;
    }

    /** @return the host's path of the module's workload socket, as a process module is given it */
    private String workloadSocket(String module) {
        String uri = identities.environment(module, Placement.PROCESS).get("IOTEDGE_WORKLOADURI");
        if (uri == null || !uri.startsWith("unix://")) {
            throw new IllegalStateException("module " + module + ": its workload URI is not a unix socket (" + uri
                    + "), so it cannot be mounted into its container");
        }
        return uri.substring("unix://".length());
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
