/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleOwner;

/**
 * The container modules' processes, by module: {@link ContainerModules} puts and removes them, and the runtime lists
 * them among its modules through {@link ModuleOwner} (it sees bundles itself, not processes). It references nothing:
 * the runtime binds it without reaching the container kind, which needs the runtime's {@code ModuleAccess}.
 */
@Component(service = {ContainerProcesses.class, ModuleOwner.class})
public final class ContainerProcesses implements ModuleOwner {

    /**
     * A module's process and the version the deployment gives the module.
     *
     * @param engine the container engine that runs its image, or null for a process module
     */
    private record Running(ProcessModule process, String version, String engine) {
    }

    private final Map<String, Running> processes = new ConcurrentHashMap<>();
    private final ContainerPids containers = new ContainerPids();

    /** @param version the module's version in the deployment, empty if it has none */
    void put(String module, String version, ProcessModule process) {
        put(module, version, process, null);
    }

    /**
     * @param version the module's version in the deployment, empty if it has none
     * @param engine the container engine that runs its image, or null for a process module
     */
    void put(String module, String version, ProcessModule process, String engine) {
        processes.put(module, new Running(process, version, engine));
    }

    /** @return the module's process, or null if it has none */
    ProcessModule get(String module) {
        Running r = processes.get(module);
        return r == null ? null : r.process();
    }

    /** @return the module's process, now forgotten, or null if it had none */
    ProcessModule remove(String module) {
        Running r = processes.remove(module);
        return r == null ? null : r.process();
    }

    /** @return every process, now forgotten */
    List<ProcessModule> removeAll() {
        List<ProcessModule> out = new ArrayList<>();
        for (String module : List.copyOf(processes.keySet())) {
            ProcessModule p = remove(module);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** @return the module as the runtime lists it, or null if it has no process */
    ModuleInfo info(String module) {
        Running r = processes.get(module);
        return r == null ? null : info(module, r);
    }

    @Override
    public boolean manages(String module) {
        return processes.containsKey(module);
    }

    @Override
    public List<ModuleInfo> ownModules() {
        List<ModuleInfo> out = new ArrayList<>();
        processes.forEach((module, r) -> out.add(info(module, r)));
        return out;
    }

    /**
     * A process module's process is its own; an image module's process is the engine's client ({@code run} in the
     * foreground), whose container runs elsewhere: its main process is asked of the engine, once per run.
     */
    @Override
    public Map<String, Long> processes() {
        Map<String, Long> out = new java.util.HashMap<>();
        processes.forEach((module, r) -> {
            long pid = r.process().pid();
            if (pid <= 0) {
                return;
            }
            long main = r.engine() == null ? pid : containers.mainPid(r.engine(), "outpost-" + module, pid);
            if (main > 0) {
                out.put(module, main);
            }
        });
        return out;
    }

    private static ModuleInfo info(String module, Running r) {
        ProcessModule p = r.process();
        return new ModuleInfo(module, "container", p.state(), -1, r.version().isEmpty() ? "-" : r.version(), true, 0,
                0, p.reason());
    }
}
