/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The main process of a running container, as the host sees it: {@code <engine> inspect --format {{.State.Pid}}
 * <name>} (docker and podman both answer it), asked once per run of the module (the engine client's pid tells one run
 * from the next) and remembered. 0 while the container is not up yet: asked again at the next sample.
 */
final class ContainerPids {

    private static final long TIMEOUT_SECONDS = 5;

    private record Known(long client, long main) {
    }

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * @param client the pid of the engine's client that runs the container
     * @return the container's main pid, or 0 if the engine does not tell it (yet)
     */
    long mainPid(String engine, String container, long client) {
        Known k = known.get(container);
        if (k != null && k.client() == client && ProcessHandle.of(k.main()).map(ProcessHandle::isAlive)
                .orElse(false)) {
            return k.main();
        }
        long main = inspect(engine, container);
        if (main > 0) {
            known.put(container, new Known(client, main));
        } else {
            known.remove(container);
        }
        return main;
    }

    private static long inspect(String engine, String container) {
        try {
            Process p = new ProcessBuilder(List.of(engine, "inspect", "--format", "{{.State.Pid}}", container))
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(256);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            if (p.exitValue() != 0) {
                return 0;
            }
            return Long.parseLong(new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
