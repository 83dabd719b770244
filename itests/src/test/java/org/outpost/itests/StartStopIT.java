/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.After;
import org.junit.Test;

/**
 * {@code bin/start} and {@code bin/stop} as an operator runs them: {@code bin/stop} returns only once the JVM has
 * ended, so {@code bin/stop; bin/start} brings the gateway back, and {@code bin/start} says why it did not start.
 */
public class StartStopIT {

    private GatewayProcess gateway;

    @After
    public void killWhatIsLeft() throws IOException {
        if (gateway != null) {
            pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void stopThenStartBringsTheGatewayBackAndASecondStartSaysWhyNot() throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                Files.createTempDirectory(base, "start-stop"));

        Run started = run("bin/start");
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).contains("Outpost is starting in");
        awaitShell();
        long firstPid = pid().orElseThrow();

        Run again = run("bin/start");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains("is already running (pid " + firstPid + ")", "bin/stop");

        Run stopped = run("bin/stop");
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("stopped.");
        // bin/stop returned: the JVM is gone already, not about to go.
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        Run restarted = run("bin/start");
        assertThat(restarted.exitCode()).as(restarted.output()).isZero();
        awaitShell();
        assertThat(pid().orElseThrow()).isNotEqualTo(firstPid);

        assertThat(run("bin/stop").exitCode()).isZero();
        Run notRunning = run("bin/stop");
        assertThat(notRunning.exitCode()).isZero();
        assertThat(notRunning.output()).contains("is not running");
    }

    private void awaitShell() {
        await("the gateway's shell").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> gateway.shell("edge:list").contains("Name"));
    }

    private Optional<Long> pid() throws IOException {
        Path file = gateway.home().resolve("karaf.pid");
        return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).strip())) : Optional.empty();
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(gateway.home().resolve(script).toString()).directory(
                gateway.home().toFile()).redirectErrorStream(true);
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
