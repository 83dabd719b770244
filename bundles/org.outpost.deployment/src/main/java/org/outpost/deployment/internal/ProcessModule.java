/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.outpost.api.runtime.ModuleState;
import org.outpost.commons.DaemonThreads;

/**
 * A container module's process: started with its command line, environment and its own working directory; its output
 * (stdout and stderr) appended to {@code output.log} there. Stopping asks it to end (SIGTERM) and kills it (SIGKILL)
 * after ten seconds. An image module may first pull its image ({@link Pull}): the module is
 * {@link ModuleState#PULLING} meanwhile, and its process starts when the pull ends, whatever its outcome (the engine
 * then runs the image it has, or says that it has none).
 */
final class ProcessModule {

    private static final long STOP_GRACE_SECONDS = 10;

    /**
     * Pulling the module's image before its first start.
     *
     * @param command the engine's pull command line (no secret on it)
     * @param image the image, for its status
     * @param timeout how long a pull may take before it is ended
     */
    record Pull(List<String> command, String image, Duration timeout) {
        Pull {
            command = List.copyOf(command);
        }
    }

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path directory;
    private final ModuleLogs.Writer output;
    private final Pull pull;
    private Process puller;
    private boolean pulled;
    /** The gateway's environment variables its processes keep, or null for all. */
    private final Set<String> inherited;
    private Process process;
    private boolean stoppedOnPurpose = true;
    private Integer exitCode;
    private Instant lastExit;
    private Instant lastStart;
    private String startError;

    ProcessModule(String name, List<String> command, Map<String, String> env, Path directory, long maxLogBytes) {
        this(name, command, env, directory, maxLogBytes, null);
    }

    /** @param pull what pulls its image before its first start, or null */
    ProcessModule(String name, List<String> command, Map<String, String> env, Path directory, long maxLogBytes,
            Pull pull) {
        this(name, command, env, directory, maxLogBytes, pull, null);
    }

    /**
     * @param pull what pulls its image before its first start, or null
     * @param inherited the gateway's environment variables its processes keep (beside its own), or null for all
     */
    ProcessModule(String name, List<String> command, Map<String, String> env, Path directory, long maxLogBytes,
            Pull pull, Set<String> inherited) {
        this.inherited = inherited == null ? null : Set.copyOf(inherited);
        this.pull = pull;
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.directory = directory;
        this.output = new ModuleLogs.Writer(log(), maxLogBytes);
    }

    /**
     * Gives a process of this module (its program, its health command) its environment: its own variables, over
     * those of the gateway's it inherits; the gateway's other variables (whatever it was started with) are not its.
     */
    void environment(ProcessBuilder pb) {
        if (inherited != null) {
            pb.environment().keySet().retainAll(inherited);
        }
        pb.environment().putAll(env);
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive() || puller != null) {
            return;
        }
        Files.createDirectories(directory);
        endOrphan();
        if (pull != null && !pulled) {
            pull();
            return;
        }
        run();
    }

    /** Starts the pull; when it ends (or times out and is ended), the process is started unless stopped meanwhile. */
    private void pull() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(pull.command()).directory(directory.toFile()).redirectErrorStream(true);
        try {
            puller = pb.start();
        } catch (IOException e) {
            lastExit = Instant.now();
            stoppedOnPurpose = false;
            startError = "cannot start " + pull.command().get(0) + ": " + e.getMessage();
            throw new IOException("module " + name + ": " + startError, e);
        }
        Process p = puller;
        startError = null;
        stoppedOnPurpose = false;
        exitCode = null;
        pump(p);
        p.onExit().orTimeout(pull.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, timedOut) -> pullEnded(p, timedOut != null));
    }

    private synchronized void pullEnded(Process p, boolean timedOut) {
        if (p != puller) {
            return;
        }
        puller = null;
        pulled = true;
        if (timedOut) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (timedOut || p.exitValue() != 0) {
            try {
                output.line(Instant.now(), "[outpost] pulling " + pull.image() + (timedOut ? " did not end within "
                        + pull.timeout().toSeconds() + " s" : " failed with exit code " + p.exitValue())
                        + "; running the image the engine has, if it has it");
            } catch (IOException e) {
                // The log cannot be written: the pull's own output, if any, says what happened.
            }
        }
        if (stoppedOnPurpose) {
            return;
        }
        try {
            run();
        } catch (IOException e) {
            // startError says why: the module is dead, as when it is started directly.
        }
    }

    private void run() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        environment(pb);
        try {
            process = pb.start();
        } catch (IOException e) {
            exitCode = null;
            lastExit = Instant.now();
            stoppedOnPurpose = false;
            startError = "cannot start " + command.get(0) + ": " + e.getMessage();
            throw new IOException("module " + name + ": " + startError, e);
        }
        startError = null;
        pump(process);
        stoppedOnPurpose = false;
        exitCode = null;
        lastStart = Instant.now();
        // The start time tells this process from a later one that happens to get the same pid.
        Files.writeString(pidFile(), process.pid() + " " + process.info().startInstant().map(Instant::toString)
                .orElse("-"));
    }

    /**
     * Ends the process a previous run of the gateway started and left behind (the gateway was killed, its children
     * were not), so that a module never runs twice.
     */
    private void endOrphan() throws IOException {
        if (!Files.exists(pidFile())) {
            return;
        }
        String[] saved = Files.readString(pidFile()).strip().split(" ");
        Files.delete(pidFile());
        long pid;
        try {
            pid = Long.parseLong(saved[0]);
        } catch (NumberFormatException e) {
            return;
        }
        String started = saved.length > 1 ? saved[1] : "-";
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(Instant::toString).orElse("?").equals(started))
                .ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                    h.onExit().orTimeout(STOP_GRACE_SECONDS, TimeUnit.SECONDS).exceptionally(t -> null).join();
                });
    }

    /** Copies the process's output to its log, a line at a time with the time of each, until the process ends. */
    private void pump(Process p) {
        DaemonThreads.named("outpost-output-" + name).newThread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.line(Instant.now(), line);
                }
            } catch (IOException e) {
                // The process ended, or its log cannot be written: nothing more to copy.
            }
        }).start();
    }

    private Path pidFile() {
        return directory.resolve("pid");
    }

    synchronized void stop() throws InterruptedException {
        stoppedOnPurpose = true;
        Process p = puller;
        if (p != null) {
            puller = null;
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        // The whole tree: a shell's pipeline (sh -c "a | b") would otherwise live on after the shell, orphaned.
        java.util.List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        for (ProcessHandle h : tree) {
            long left = Math.max(0, deadline - System.nanoTime());
            h.onExit().completeOnTimeout(h, left, TimeUnit.NANOSECONDS).join();
        }
        if (process.isAlive() || tree.stream().anyMatch(ProcessHandle::isAlive)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        }
        try {
            output.close();
        } catch (IOException e) {
            // Its last lines may be lost; the module is stopped either way.
        }
    }

    /** @return running; stopped (on purpose, or it ended with exit code 0); failed (it ended otherwise) */
    synchronized ModuleState state() {
        if (process != null && process.isAlive()) {
            return ModuleState.RUNNING;
        }
        if (puller != null) {
            return ModuleState.PULLING;
        }
        if (process != null && exitCode == null) {
            exitCode = process.exitValue();
            lastExit = Instant.now();
        }
        if (stoppedOnPurpose) {
            return ModuleState.STOPPED;
        }
        return exitCode != null && exitCode == 0 ? ModuleState.STOPPED : ModuleState.FAILED;
    }

    synchronized String reason() {
        ModuleState s = state();
        if (s == ModuleState.PULLING) {
            return "pulling " + pull.image() + " (output: " + log() + ")";
        }
        if (s == ModuleState.RUNNING || stoppedOnPurpose) {
            return "";
        }
        return exitCode == null ? "did not start (see " + log() + ")" : "exited with code " + exitCode + " (output: "
                + log() + ")";
    }

    /** @return why its program could not be started the last time, or null if it was */
    synchronized String startError() {
        return startError;
    }

    synchronized Integer exitCode() {
        state();
        return exitCode;
    }

    synchronized Instant lastExit() {
        state();
        return lastExit;
    }

    synchronized Instant lastStart() {
        return lastStart;
    }

    /** @return the process id, or -1 when it does not run (for tests and diagnostics) */
    synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    Path directory() {
        return directory;
    }

    Map<String, String> env() {
        return env;
    }

    Path log() {
        return directory.resolve("output.log");
    }
}
