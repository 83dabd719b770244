/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubDeploymentTest {

    static final String BASE_CONTENT = "{\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
            + " \"modules\": {\"filter\": {\"type\": \"bundle\", \"settings\": {\"location\":"
            + " \"mvn:org.example/filter/1.0\"}}}}}, \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\","
            + " \"routes\": {}}}}";

    @Test
    void aDeploymentObjectIsReadWithItsDefaults() {
        HubDeployment d = HubDeployment.parse("{\"id\": \"plant-1-base\", \"targetCondition\": \"tags.site ="
                + " 'plant-1'\", \"labels\": {\"team\": \"ops\"}, \"content\": {\"modulesContent\": " + BASE_CONTENT
                + "}}", Instant.EPOCH);

        assertThat(d.id()).isEqualTo("plant-1-base");
        assertThat(d.priority()).isZero();
        assertThat(d.layered()).isFalse();
        assertThat(d.labels()).containsEntry("team", "ops");
        assertThat(d.targetCondition().toString()).isEqualTo("tags.site = 'plant-1'");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{not json|$: not JSON",
        "[]|$: a deployment is a JSON object",
        "{\"id\": \"Big_Id\"}|id: 'Big_Id' is not a deployment id",
        "{\"id\": \"d\", \"priority\": -1}|priority: must be a whole number, 0 or more",
        "{\"id\": \"d\", \"priority\": 1.5}|priority: must be a whole number, 0 or more",
        "{\"id\": \"d\", \"targetCondition\": \"tags.site =\"}|targetCondition: column 12: expected a value",
        "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"labels\": {\"a\": 1}}|labels.a: must be a string",
        "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"content\": {}}|content.modulesContent: missing or empty",
        "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": 1}}}|content.modulesContent.$edgeAgent: must be an object",
        "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired.modules.x\": {}}}}}|content.modulesContent.$edgeAgent.properties.desired.modules.x: expected \"properties.desired\" (dotted paths are for layered deployments)",
        "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {}}}}}|content.modulesContent.$edgeHub: a base deployment needs the whole $edgeHub section",
        "{\"id\": \"d\", \"layered\": true, \"targetCondition\": \"deviceId = 'a'\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"desired\": {}}}}}|content.modulesContent.$edgeAgent.desired: expected \"properties.desired\" or a path under it",
    })
    void aBadDeploymentIsRefusedWithThePathOfItsProblem(String json, String message) {
        assertThatThrownBy(() -> HubDeployment.parse(json, Instant.EPOCH)).isInstanceOf(DeploymentException.class)
                .hasMessageStartingWith(message);
    }

    private static String base(String modules, String routes) {
        return "{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\", \"content\": {\"modulesContent\":"
                + " {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"modules\": " + modules
                + "}}, \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": " + routes
                + "}}}}}";
    }

    private static final String FILTER = "{\"filter\": {\"type\": \"bundle\", \"settings\": {\"location\":"
            + " \"mvn:org.example/filter/1.0\"}}}";

    @Test
    void theContentIsCheckedAsAGatewayWouldBeforeAnyDeviceSeesIt() {
        // Module types and settings, by the gateway's own manifest reader.
        assertThatThrownBy(() -> HubDeployment.parse(base("{\"filter\": {\"type\": \"wasm\"}}", "{}"),
                Instant.EPOCH)).hasMessageStartingWith("content.modulesContent.$edgeAgent.properties.desired.modules"
                        + ".filter.type: ");
        assertThatThrownBy(() -> HubDeployment.parse(base("{\"filter\": {\"type\": \"bundle\", \"settings\":"
                + " {\"location\": \"mvn:../evil\"}}}", "{}"), Instant.EPOCH)).hasMessageContaining(
                        "modules.filter.settings.location");
        assertThatThrownBy(() -> HubDeployment.parse(base("{}", "{}"), Instant.EPOCH)).hasMessageContaining(
                "the deployment is empty");
        // Routes, by the gateway's route compiler, with the column.
        assertThatThrownBy(() -> HubDeployment.parse(base(FILTER, "{\"up\": \"FROM /messages/* WHERE temp >"
                + " INTO $upstream\"}"), Instant.EPOCH)).hasMessageStartingWith(
                        "content.modulesContent.$edgeHub.properties.desired.routes.up: column ");
        assertThat(HubDeployment.parse(base(FILTER, "{\"up\": {\"route\": \"FROM /messages/* INTO $upstream\","
                + " \"priority\": 1}}"), Instant.EPOCH).id()).isEqualTo("d");
        // A layer's modules and routes, one by one (it is not a whole manifest).
        String layer = "{\"id\": \"l\", \"layered\": true, \"targetCondition\": \"deviceId = 'a'\", \"content\":"
                + " {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired.modules.x\": {\"type\": \"vm\"}}}}}";
        assertThatThrownBy(() -> HubDeployment.parse(layer, Instant.EPOCH)).hasMessage(
                "content.modulesContent.$edgeAgent.properties.desired.modules.x.type: unknown module type 'vm': one"
                        + " of bundle, feature, container, docker, camel");
        String layerRoute = "{\"id\": \"l\", \"layered\": true, \"targetCondition\": \"deviceId = 'a'\","
                + " \"content\": {\"modulesContent\": {\"$edgeHub\": {\"properties.desired.routes.r\": \"FROM\"}}}}";
        assertThatThrownBy(() -> HubDeployment.parse(layerRoute, Instant.EPOCH)).hasMessageStartingWith(
                "content.modulesContent.$edgeHub.properties.desired.routes.r: column ");
    }

    @Test
    void contentOverTheLimitIsRefused() {
        String big = "\"" + "x".repeat(HubDeployment.MAX_CONTENT_BYTES) + "\"";
        assertThatThrownBy(() -> HubDeployment.parse("{\"id\": \"d\", \"targetCondition\": \"deviceId = 'a'\","
                + " \"content\": {\"modulesContent\": {\"m\": {\"properties.desired\": {\"a\": " + big + "}}}}}",
                Instant.EPOCH)).hasMessageContaining("content.modulesContent: ").hasMessageEndingWith(
                        "bytes; at most " + HubDeployment.MAX_CONTENT_BYTES);
    }
}
