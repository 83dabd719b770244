/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ten end-to-end manifests of Azure IoT Edge (src/test/resources/iotedge-manifests, see its README for their
 * origin and license) load: docker modules as container modules, what the gateway does not do reported as warnings.
 */
class IotEdgeManifestsTest {

    private final ManifestParser parser = new ManifestParser(ManifestParserTest.POLICY);

    private static String read(String name) throws IOException {
        try (InputStream in = IotEdgeManifestsTest.class.getResourceAsStream("/iotedge-manifests/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"e2e_deployment_files_connectivity_deployment.template.json",
            "e2e_deployment_files_dm_module_to_module_deployment.json",
            "e2e_deployment_files_edgehub_restart_deployment.template.json",
            "e2e_deployment_files_module_to_functions_deployment.template.json",
            "e2e_deployment_files_module_to_module_deployment.template.json",
            "e2e_deployment_files_nestededge_isa95_smoke_test_BaseDeployment.json",
            "e2e_deployment_files_nestededge_middleLayer_e2e_amqp.json",
            "e2e_deployment_files_nestededge_topLayerBaseDeployment_amqp.json",
            "e2e_deployment_files_quickstart_deployment.template.json",
            "e2e_deployment_files_runtime_only_deployment.template.json"})
    void everyIotEdgeEndToEndManifestLoads(String name) throws Exception {
        DeploymentManifest m = parser.parse(read(name));

        assertThat(m.modules().values()).allSatisfy(s -> {
            assertThat(s.type()).isEqualTo(ModuleType.CONTAINER);
            assertThat(s.declaredType()).isEqualTo("docker");
            assertThat(s.image()).isNotBlank();
        });
        assertThat(m.warnings()).anyMatch(w -> w.startsWith(ManifestParser.AGENT + ".systemModules: the gateway is"
                + " its own edgeAgent and edgeHub"));
        assertThat(m.registryCredentials().values()).allSatisfy(c -> assertThat(c.toString())
                .doesNotContain(c.password()));
        assertThat(String.join("\n", m.warnings())).doesNotContain("<CR.Password>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"e2e_deployment_files_connectivity_deployment.template.json",
            "e2e_deployment_files_edgehub_restart_deployment.template.json"})
    void dotNetConfigurationNamesWithColonsAreEnvironmentVariables(String name) throws Exception {
        DeploymentManifest m = parser.parse(read(name));

        assertThat(m.modules().get("testResultCoordinator").env()).containsKey("Logging:LogLevel:Microsoft");
        assertThat(m.registryCredentials()).hasSize(1);
        RegistryCredential rc = List.copyOf(m.registryCredentials().values()).get(0);
        assertThat(rc.address()).isEqualTo("<Container_Registry>");
        assertThat(rc.username()).isEqualTo("<CR.Username>");
    }
}
