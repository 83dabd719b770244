/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.ManifestException;

class DeploymentPolicyTest {

    private static DeploymentPolicy policy(Map<String, String> set) {
        return DeploymentPolicy.of(TestConfig.of(set), "/opt/outpost", "/opt/outpost/data");
    }

    private static void check(DeploymentPolicy policy, String json) throws ManifestException {
        policy.check(policy.parser().parse(json));
    }

    record Refusal(String path, String reason, String key, String value, String json) {
        @Override
        public String toString() {
            return path.substring(path.lastIndexOf("modules.") + 1) + " until " + key + " = " + value;
        }
    }

    static Stream<Refusal> refusals() throws IOException {
        List<Refusal> cases = new ArrayList<>();
        try (InputStream in = DeploymentPolicyTest.class.getResourceAsStream("/policy-refusals.txt")) {
            for (String block : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n=== ")) {
                if (block.startsWith("#")) {
                    continue;
                }
                int eol = block.indexOf('\n');
                String[] head = block.substring(0, eol).split(" \\| ");
                String[] allow = head[2].split(" = ", 2);
                cases.add(new Refusal(head[0].substring(4).strip(), head[1].strip(), allow[0].strip(),
                        allow[1].strip(), block.substring(eol + 1)));
            }
        }
        assertThat(cases).hasSizeGreaterThan(15);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whatIsDangerousIsRefusedByDefaultWithItsPathAndTheKeyThatWouldAllowIt(Refusal r) throws Exception {
        assertThatThrownBy(() -> check(policy(Map.of()), r.json())).isInstanceOfSatisfying(ManifestException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.path()).isEqualTo(r.path());
                    assertThat(e.reason()).contains(r.reason(), r.key());
                });

        check(policy(Map.of(r.key(), r.value())), r.json());
    }

    @Test
    void aContainerImageWithHarmlessOptionsAndANamedVolumeIsAllowedByDefault() throws Exception {
        check(policy(Map.of()), """
                {"modulesContent": {"$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
                  "cam": {"type": "docker", "settings": {"image": "acme/cam:1", "createOptions": {
                    "Env": ["A=1"], "User": "1000", "HostConfig": {"Binds": ["camdata:/data"], "Privileged": false,
                      "NetworkMode": "bridge", "CapAdd": [], "SecurityOpt": ["no-new-privileges"],
                      "Mounts": [{"Type": "tmpfs", "Target": "/tmp"}], "Memory": 268435456}}}}}}}}}
                """);
    }

    @Test
    void aBindOrDeviceBelowAnAllowedPathIsAllowedAndOneThatClimbsOutIsNot() throws Exception {
        DeploymentPolicy p = policy(Map.of("container.allowed.bind.paths", "/srv/acme",
                "container.allowed.devices", "/dev/serial"));
        String manifest = """
                {"modulesContent": {"$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
                  "cam": {"type": "docker", "settings": {"image": "acme/cam:1", "createOptions": {"HostConfig": {
                    "Binds": ["%s:/data:ro"], "Devices": [{"PathOnHost": "/dev/serial/by-id/usb-1"}]}}}}}}}}}
                """;

        check(p, manifest.formatted("/srv/acme/site-1"));
        assertThatThrownBy(() -> check(p, manifest.formatted("/srv/acme/../../etc"))).hasMessageContaining(
                "HostConfig.Binds[0]: host path '/srv/acme/../../etc' is not allowed (allowed: /srv/acme;");
        assertThatThrownBy(() -> check(p, manifest.formatted("/srv/acme-other"))).hasMessageContaining(
                "HostConfig.Binds[0]");
        assertThatThrownBy(() -> check(p, manifest.formatted("./relative"))).hasMessageContaining(
                "HostConfig.Binds[0]");
        DeploymentPolicy devices = policy(Map.of("container.allowed.devices", "/dev/serial"));
        assertThatThrownBy(() -> check(devices, manifest.formatted("data").replace("by-id/usb-1", "../mem")))
                .hasMessageContaining("HostConfig.Devices[0].PathOnHost: host device '/dev/serial/../mem' is not"
                        + " allowed (allowed: /dev/serial);");
    }

    @Test
    void aSavedDeploymentIsReadWhateverThePolicyAndEachModuleItNowRefusesIsNamed() throws Exception {
        DeploymentManifest saved = DeploymentPolicy.savedParser().parse("""
                {"modulesContent": {"$edgeAgent": {"properties.desired": {"schemaVersion": "1.1", "modules": {
                  "good": {"type": "bundle", "settings": {"location": "mvn:org.acme/good/1"}},
                  "remote": {"type": "bundle", "settings": {"location": "https://repo.acme.example/x.jar"}},
                  "greeter": {"type": "container", "settings": {"command": ["/bin/echo", "hi"]}},
                  "spy": {"type": "bundle", "settings": {"location": "mvn:org.acme/spy/1",
                          "pid": "org.outpost.upstream"}}}}}}}
                """);

        Map<String, String> refused = policy(Map.of()).refusals(saved);

        assertThat(refused.keySet()).containsExactlyInAnyOrder("remote", "greeter", "spy");
        assertThat(refused.get("remote")).startsWith("400 modulesContent.$edgeAgent.properties.desired.modules"
                + ".remote.settings.location: ").contains("allowed.hosts");
        assertThat(refused.get("greeter")).contains("modules.greeter.settings.command", "process.modules.enabled");
        assertThat(refused.get("spy")).contains("modules.spy.settings.pid");
        assertThat(policy(Map.of("process.modules.enabled", "true", "allowed.hosts", "repo.acme.example"))
                .refusals(saved)).containsOnlyKeys("spy");
    }
}
