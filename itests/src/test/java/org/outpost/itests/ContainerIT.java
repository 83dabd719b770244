/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.outpost.api.message.Message;
import org.outpost.api.runtime.ModuleState;
import org.outpost.broker.api.Broker;
import org.outpost.deployment.api.Deployer;
import org.outpost.deployment.api.DeploymentResult;

/** Container modules: the gateway supervises a process, restarts it by its policy, keeps its exit code and output. */
public class ContainerIT extends OutpostTestSupport {

    @Inject
    private Deployer deployer;

    @Inject
    private Broker broker;

    @Override
    protected Option[] extraOptions() {
        return OptionUtils.combine(super.extraOptions(),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "restart.backoff.ms", "300"),
                // Process modules, and an image binding a host folder: the deployment policy allows them when told.
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "process.modules.enabled", "true"),
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "container.allowed.bind.paths",
                        "/srv/acme"),
                // No engine by the first name exists; the second is a script a test writes when it needs an engine.
                editConfigurationFilePut("etc/org.outpost.deployment.cfg", "container.engines",
                        "outpost-no-engine,${karaf.home}/fake-engine/podman"));
    }

    private static String manifest(String modules) {
        return "{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
                + " \"modules\": {" + modules + "}}}}}";
    }

    @Test
    public void aProcessModuleIsSupervisedRestartedAndItsExitCodeKept() throws Exception {
        String worker = "\"worker\": {\"type\": \"container\", \"restartPolicy\": \"always\", \"env\": {\"GREETING\":"
                + " {\"value\": \"hello\"}}, \"settings\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"echo $GREETING from $OUTPOST_MODULE_ID; exec sleep 300\"]}}";
        String quitter = "\"quitter\": {\"type\": \"container\", \"restartPolicy\": \"never\", \"settings\":"
                + " {\"command\": [\"/bin/sh\", \"-c\", \"sleep 1; exit 3\"]}}";
        DeploymentResult r = deployer.deploy(manifest(worker + ", " + quitter), false);
        assertThat(r.code()).as(r.description()).isEqualTo(200);
        assertThat(runtime.module("worker").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);
        assertThat(shell("edge:list")).containsPattern("worker\\s*\\|\\s*container\\s*\\|\\s*deployment\\s*\\|"
                + "\\s*running");
        await().atMost(Duration.ofSeconds(10)).until(() -> shell("edge:logs worker").contains("hello from worker"));
        // Each output line carries the time it was written, so logs filter by time, level and pattern.
        assertThat(shell("edge:logs --since 10m --grep hel+o worker")).containsPattern(
                "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z hello from worker");
        assertThat(shell("edge:logs --until 1h worker")).doesNotContain("hello");
        assertThat(shell("edge:logs --level error worker")).doesNotContain("hello");
        assertThatThrownBy(() -> shell("edge:logs --since yesterday worker"))
                .hasMessageContaining("is not a time: use a duration");

        // The process ends with exit code 3 and its policy is never: it stays down, failed, with its exit code.
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("quitter")
                .runtimeStatus().equals("failed"));
        assertThat(deployer.status().modules().get("quitter").exitCode()).isEqualTo(3);
        assertThat(deployer.status().modules().get("quitter").statusDescription()).contains("exited with code 3");

        // Killed from outside: its policy always starts it again.
        ProcessHandle first = worker();
        first.destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> deployer.status().modules().get("worker")
                .restartCount() == 1 && runtime.module("worker").orElseThrow().state() == ModuleState.RUNNING);
        ProcessHandle second = worker();
        assertThat(second.pid()).isNotEqualTo(first.pid());

        // An image needs a container engine; without one the deployment is refused and nothing changes.
        DeploymentResult image = deployer.deploy(manifest(worker + ", \"legacy\": {\"type\": \"docker\","
                + " \"settings\": {\"image\": \"acme/legacy:2.1\", \"createOptions\": \"{}\"}}"), false);
        assertThat(image.code()).isEqualTo(400);
        assertThat(image.description()).contains("modules.legacy.settings.image", "no container engine");
        assertThat(runtime.module("worker").orElseThrow().state()).isEqualTo(ModuleState.RUNNING);

        // With an engine, the image runs through it with its createOptions translated to run options.
        java.nio.file.Path engine = java.nio.file.Path.of(System.getProperty("karaf.home"), "fake-engine", "podman");
        java.nio.file.Files.createDirectories(engine.getParent());
        // A deployment pulls the image first (the pull ends), then runs it (the run lasts).
        java.nio.file.Files.writeString(engine, "#!/bin/sh\necho \"engine: $*\"\n[ \"$1\" = pull ] && exit 0\n"
                + "exec sleep 302\n");
        assertThat(engine.toFile().setExecutable(true)).isTrue();
        DeploymentResult withEngine = deployer.deploy(manifest(worker + ", \"legacy\": {\"type\": \"docker\","
                + " \"settings\": {\"image\": \"acme/legacy:2.1\", \"createOptions\": \"{\\\"Cmd\\\":"
                + " [\\\"serve\\\"], \\\"HostConfig\\\": {\\\"Binds\\\": [\\\"/srv/acme:/data:ro\\\"]}}\"}}"),
                false);
        assertThat(withEngine.code()).as(withEngine.description()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> shell("edge:logs legacy").contains("engine: run"));
        assertThat(shell("edge:logs legacy")).contains("engine: run --rm --name outpost-legacy -v"
                + " /srv/acme:/data:ro -e OUTPOST_MODULE_ID").contains("-e OUTPOST_MQTT_PASSWORD")
                .contains("-- acme/legacy:2.1 serve");
        // Values travel in the engine's environment, not on its command line where any user could read them.
        assertThat(shell("edge:logs legacy")).doesNotContain("OUTPOST_MQTT_PASSWORD=")
                .contains(":/run/secrets/outpost/mqtt-password:ro");

        // Removed by a deployment: the process is stopped.
        assertThat(deployer.deploy(manifest(quitter), false).code()).isEqualTo(200);
        assertThat(runtime.module("worker")).isEmpty();
        await().atMost(Duration.ofSeconds(15)).until(() -> !second.isAlive());
    }

    @Test
    public void aFailingHealthCommandRestartsAContainerModuleUnderOnUnhealthy() throws Exception {
        // Healthy for its first two seconds (the file exists), then its health command fails.
        String sick = "\"sick\": {\"type\": \"container\", \"restartPolicy\": \"on-unhealthy\", \"settings\":"
                + " {\"command\": [\"/bin/sh\", \"-c\", \"touch healthy; sleep 2; rm healthy; exec sleep 301\"],"
                + " \"healthCheck\": {\"command\": [\"/bin/sh\", \"-c\", \"test -f healthy\"],"
                + " \"intervalSeconds\": 1, \"retries\": 2}}}";
        DeploymentResult r = deployer.deploy(manifest(sick), false);
        assertThat(r.code()).as(r.description()).isEqualTo(200);
        ProcessHandle first = await().atMost(Duration.ofSeconds(10)).until(() -> process("sleep 301"),
                java.util.Optional::isPresent).orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> deployer.status().modules().get("sick").restartCount() >= 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> !first.isAlive());
        assertThat(deployer.status().modules().get("sick").lastRestartTimeUtc()).isNotNull();
        // The restarted process is healthy again for a while, then the cycle repeats under the back-off.
        await().atMost(Duration.ofSeconds(10)).until(() -> process("sleep 301").filter(p -> p.pid() != first.pid())
                .isPresent());
    }

    @Test
    public void aModuleWhoseProgramIsGoneIsDeadInsteadOfRestartedInALoop() throws Exception {
        java.nio.file.Path program = java.nio.file.Path.of(System.getProperty("karaf.home"), "ghost", "run.sh");
        java.nio.file.Files.createDirectories(program.getParent());
        java.nio.file.Files.writeString(program, "#!/bin/sh\nexec sleep 303\n");
        assertThat(program.toFile().setExecutable(true)).isTrue();
        String ghost = "\"ghost\": {\"type\": \"container\", \"settings\": {\"command\": [\"" + program + "\"]}}";
        DeploymentResult r = deployer.deploy(manifest(ghost).replace("\"schemaVersion\": \"1.1\",",
                "\"schemaVersion\": \"1.1\", \"$version\": 7,"), false);
        assertThat(r.code()).as(r.description()).isEqualTo(200);
        assertThat(deployer.status().lastDesiredVersion()).isEqualTo(7);
        ProcessHandle first = await().atMost(Duration.ofSeconds(10)).until(() -> process("sleep 303"),
                java.util.Optional::isPresent).orElseThrow();

        // Its program disappears and it stops: the restart cannot start it, so it is dead, not retried forever.
        java.nio.file.Files.delete(program);
        first.destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> "dead".equals(deployer.status().modules().get("ghost")
                .runtimeStatus()));
        assertThat(deployer.status().modules().get("ghost").statusDescription()).contains("cannot start " + program,
                "edge:restart ghost");
        assertThat(shell("edge:status")).containsPattern("ghost\\s*\\|.*dead");

        // Once it can run again, edge:restart brings it back.
        java.nio.file.Files.writeString(program, "#!/bin/sh\nexec sleep 303\n");
        assertThat(program.toFile().setExecutable(true)).isTrue();
        shell("edge:restart ghost");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(deployer.status().modules().get("ghost")
                .runtimeStatus()));

        // A manifest without a $version counts on from the last one.
        assertThat(deployer.deploy(manifest(ghost), false).code()).isEqualTo(200);
        assertThat(deployer.status().lastDesiredVersion()).isEqualTo(8);
        assertThat(shell("edge:status")).contains("Last deployment: version 8, 200");
    }

    /** MQTT options every container command below passes: the broker and the module's own credentials. */
    private static final String MQTT = "-h \\\"$OUTPOST_MQTT_HOST\\\" -p \\\"$OUTPOST_MQTT_PORT\\\""
            + " -u \\\"$OUTPOST_MQTT_USERNAME\\\" -P \\\"$(cat \\\"$OUTPOST_MQTT_PASSWORD_FILE\\\")\\\" -q 1";

    @Test
    public void aContainerModuleTalksToTheGatewayOverMqttWithItsOwnCredentials() throws Exception {
        setRoutes(Map.of(
                "route.readings", "FROM /messages/modules/pub/outputs/readings WHERE unit = 'C' INTO $upstream",
                "route.toEcho", "FROM /messages/modules/probe/outputs/out INTO BrokeredEndpoint(\"/modules/echo/inputs/in\")",
                "route.echoed", "FROM /messages/modules/echo/outputs/echoed INTO $upstream",
                "route.spoofed", "FROM /messages/modules/pub/outputs/spoofed INTO $upstream"));
        // pub: publishes three readings with mosquitto_pub, as any MQTT client would, then idles.
        String pub = "\"pub\": {\"type\": \"container\", \"settings\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"for i in 1 2 3; do mosquitto_pub " + MQTT + " -i \\\"$OUTPOST_MQTT_CLIENT_ID\\\""
                + " -t \\\"${OUTPOST_EVENTS_TOPIC}%24.on=readings&unit=C&seq=$i\\\" -m reading-$i || exit 1; done;"
                + " exec sleep 300\"]}}";
        // echo: receives its input and sends each message back out of its output "echoed".
        String echo = "\"echo\": {\"type\": \"container\", \"settings\": {\"command\": [\"/bin/sh\", \"-c\","
                + " \"mosquitto_sub " + MQTT + " -i \\\"$OUTPOST_MQTT_CLIENT_ID\\\" -c"
                + " -t \\\"${OUTPOST_INPUTS_TOPIC}#\\\" | while read -r line; do mosquitto_pub " + MQTT
                + " -i \\\"$OUTPOST_MQTT_CLIENT_ID/out\\\" -t \\\"${OUTPOST_EVENTS_TOPIC}%24.on=echoed\\\""
                + " -m \\\"echo:$line\\\"; done\"]}}";
        // spoof: tries to publish as pub; the broker refuses it.
        String spoof = "\"spoof\": {\"type\": \"container\", \"restartPolicy\": \"never\", \"settings\":"
                + " {\"command\": [\"/bin/sh\", \"-c\", \"mosquitto_pub " + MQTT + " -i spoof -t"
                + " \\\"devices/$OUTPOST_DEVICE_ID/modules/pub/messages/events/%24.on=spoofed\\\" -m spoofed\"]}}";
        try (Mosquitto cloud = new Mosquitto(cloudPort()).start();
                CloudSubscriber sub = new CloudSubscriber(cloudPort(), "it-container-mqtt")) {
            DeploymentResult r = deployer.deploy(manifest(pub + ", " + echo + ", " + spoof), false);
            assertThat(r.code()).as(r.description()).isEqualTo(200);

            // Published by a process over MQTT, routed by a WHERE on a property of the topic's bag, in order.
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.from("pub").size() >= 3);
            assertThat(sub.from("pub")).extracting(CloudSubscriber.Received::body)
                    .containsExactly("reading-1", "reading-2", "reading-3");
            assertThat(sub.from("pub").get(0).topic().properties()).containsEntry("seq", "1")
                    .containsEntry("$.on", "readings");

            // The spoofer may not publish under another module's topic: its publish fails, nothing arrives.
            await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(deployer.status().modules()
                    .get("spoof").runtimeStatus()));
            assertThat(deployer.status().modules().get("spoof").exitCode()).isNotZero();

            // Routed to the container's input: it gets it on its MQTT input topic (waiting in the input's queue until
            // it subscribed), and its answer reaches the cloud.
            for (int i = 1; i <= 3; i++) {
                runtime.inject("probe", "out", Message.builder().body("hello-" + i).build());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sub.from("echo").size() >= 3);
            assertThat(sub.from("echo")).extracting(CloudSubscriber.Received::body).containsExactly(
                    "echo:hello-1", "echo:hello-2", "echo:hello-3");
            assertThat(sub.from("pub")).extracting(CloudSubscriber.Received::body).doesNotContain("spoofed");
            assertThat(broker.hasSubscribers("devices." + runtime.deviceId() + ".modules.echo.inputs.in.x")).isTrue();
        }
    }

    /** @return the worker's process: a child of the gateway running "sleep 300" */
    private static ProcessHandle worker() {
        return process("sleep 300").orElseThrow();
    }

    /** @return a live child process of the gateway whose command line contains {@code text} */
    private static java.util.Optional<ProcessHandle> process(String text) {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive() && p.info().commandLine().orElse("")
                .contains(text)).findFirst();
    }
}
