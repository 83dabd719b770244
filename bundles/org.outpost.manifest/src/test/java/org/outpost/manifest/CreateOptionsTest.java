/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CreateOptionsTest {

    private static final String AT = "modules.m.settings.createOptions";

    @Test
    void noOptionsNameNoNetworkSoTheEngineDefaultRunsNotTheHosts() throws Exception {
        CreateOptions o = CreateOptions.parse(null, AT);
        assertThat(o.runOptions()).isEmpty();
        assertThat(o.command()).isEmpty();
        assertThat(o.ignored()).isEmpty();
    }

    @Test
    void whatAGatewayModuleNeedsIsTranslatedToRunOptions() throws Exception {
        CreateOptions o = CreateOptions.parse("""
                {"Env": ["A=1"], "User": "1000", "Labels": {"site": "plant-1"},
                 "Entrypoint": ["/app/run", "--fast"], "Cmd": ["serve"],
                 "ExposedPorts": {"80/tcp": {}},
                 "HostConfig": {"Binds": ["/var/acme:/data:ro"], "Privileged": true,
                   "PortBindings": {"80/tcp": [{"HostPort": "8080"}], "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "53"}]},
                   "Devices": [{"PathOnHost": "/dev/ttyUSB0", "PathInContainer": "/dev/ttyS0", "CgroupPermissions": "rwm"}],
                   "NetworkMode": "bridge", "CapAdd": ["NET_ADMIN"], "Memory": 268435456, "NanoCpus": 500000000,
                   "RestartPolicy": {"Name": "always"}, "ShmSize": 1024}}
                """, AT);
        assertThat(String.join(" ", o.runOptions())).isEqualTo("--network bridge -e A=1 --user 1000 --label"
                + " site=plant-1 -v /var/acme:/data:ro --privileged -p 8080:80/tcp -p 127.0.0.1:53:53/udp"
                + " --device /dev/ttyUSB0:/dev/ttyS0:rwm --cap-add NET_ADMIN --memory 268435456b --cpus 0.5"
                + " --entrypoint /app/run");
        assertThat(o.command()).containsExactly("--fast", "serve");
        // The gateway supervises the module itself, so RestartPolicy needs no translation; ShmSize has none.
        assertThat(o.ignored()).containsExactly(AT + ".HostConfig.ShmSize");
    }

    @Test
    void privilegedMayBeWrittenAsAStringAsIotEdgeManifestsDo() throws Exception {
        assertThat(CreateOptions.parse("{\"HostConfig\": {\"Privileged\": \"true\"}}", AT).runOptions())
                .contains("--privileged");
        assertThat(CreateOptions.parse("{\"HostConfig\": {\"Privileged\": \"False\"}}", AT).runOptions())
                .doesNotContain("--privileged");
        assertThatThrownBy(() -> CreateOptions.parse("{\"HostConfig\": {\"Privileged\": \"yes\"}}", AT))
                .hasMessageContaining(AT + ".HostConfig.Privileged: must be true or false");
    }

    @Test
    void aStringCommandRunsInAShellAsDockerDoes() throws Exception {
        assertThat(CreateOptions.parse("{\"Cmd\": \"echo hi && sleep 1\"}", AT).command()).containsExactly(
                "/bin/sh", "-c", "echo hi && sleep 1");
    }

    @Test
    void aMalformedOptionIsRejectedWithItsPath() {
        assertThatThrownBy(() -> CreateOptions.parse("{\"HostConfig\": {\"Binds\": [\"/data\"]}}", AT))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.path()).isEqualTo(AT + ".HostConfig.Binds");
                    assertThat(e.reason()).contains("'/data' is not a bind");
                });
        assertThatThrownBy(() -> CreateOptions.parse("{\"HostConfig\": {\"PortBindings\": {\"http\": []}}}", AT))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.path()).isEqualTo(AT
                        + ".HostConfig.PortBindings.http"));
        assertThatThrownBy(() -> CreateOptions.parse("{\"Env\": [\"A=1\", 2]}", AT))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.path()).isEqualTo(AT + ".Env[1]"));
        assertThatThrownBy(() -> CreateOptions.parse("[1]", AT)).isInstanceOfSatisfying(ManifestException.class,
                e -> assertThat(e.reason()).contains("must be a JSON object"));
        assertThatThrownBy(() -> CreateOptions.parse("{\"HostConfig\": {\"Memory\": -1}}", AT))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.path()).isEqualTo(AT
                        + ".HostConfig.Memory"));
    }
}
