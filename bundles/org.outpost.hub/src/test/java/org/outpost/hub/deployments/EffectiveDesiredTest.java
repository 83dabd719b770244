/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EffectiveDesiredTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode device(String id, String tags) throws Exception {
        return JSON.readTree("{\"deviceId\": \"" + id + "\", \"tags\": " + tags + ", \"properties\": {}}");
    }

    private static HubDeployment base(String id, int priority, String target, String module, long created) {
        return HubDeployment.parse("{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"targetCondition\": \""
                + target + "\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"modules\": {\"" + module + "\": {\"type\": \"bundle\","
                + " \"settings\": {\"location\": \"mvn:org.example/" + module + "/1.0\"}}}}},"
                + " \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.1\", \"routes\": {\"all\":"
                + " \"FROM /messages/* INTO $upstream\"}}}, \"" + module + "\": {\"properties.desired\":"
                + " {\"threshold\": 25}}}}}", Instant.ofEpochSecond(created));
    }

    private static HubDeployment layer(String id, int priority, String target, String content, long created) {
        return HubDeployment.parse("{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"layered\": true,"
                + " \"targetCondition\": \"" + target + "\", \"content\": {\"modulesContent\": " + content + "}}",
                Instant.ofEpochSecond(created));
    }

    @Test
    void theHighestPriorityBaseThatTargetsADeviceWinsAndTiesGoToTheNewest() throws Exception {
        List<HubDeployment> all = List.of(base("plant", 10, "tags.site = 'plant-1'", "filter", 1),
                base("prod", 20, "tags.env = 'prod'", "sensor", 2), base("prod-newer", 20, "tags.env = 'prod'",
                        "pump", 3), base("everyone", 0, "IS_DEFINED(deviceId)", "heartbeat", 4));

        assertThat(EffectiveDesired.of(device("a", "{\"site\": \"plant-1\", \"env\": \"prod\"}"), all).base())
                .contains("prod-newer");
        assertThat(EffectiveDesired.of(device("b", "{\"site\": \"plant-1\"}"), all).base()).contains("plant");
        EffectiveDesired c = EffectiveDesired.of(device("c", "{}"), all);
        assertThat(c.base()).contains("everyone");
        assertThat(c.desired().get("$edgeAgent").path("modules").has("heartbeat")).isTrue();
        assertThat(c.desired()).containsOnlyKeys("$edgeAgent", "$edgeHub", "heartbeat");
    }

    @Test
    void layersAddToTheBaseInPriorityOrderAndNeedABase() throws Exception {
        List<HubDeployment> all = List.of(base("base", 0, "tags.site = 'plant-1'", "filter", 1),
                layer("add-logger", 5, "tags.debug = true", "{\"$edgeAgent\": {\"properties.desired.modules.logger\":"
                        + " {\"type\": \"bundle\"}}, \"$edgeHub\": {\"properties.desired.routes.logs\": \"FROM"
                        + " /messages/modules/logger/* INTO $upstream\"}, \"filter\":"
                        + " {\"properties.desired.threshold\": 30}}", 2),
                layer("tune", 9, "tags.debug = true", "{\"filter\": {\"properties.desired\": {\"threshold\": 35,"
                        + " \"unit\": \"C\"}}}", 1));

        EffectiveDesired debug = EffectiveDesired.of(device("a", "{\"site\": \"plant-1\", \"debug\": true}"), all);
        assertThat(debug.base()).contains("base");
        assertThat(debug.layers()).containsExactly("add-logger", "tune");
        assertThat(debug.desired().get("$edgeAgent").path("modules").has("filter")).isTrue();
        assertThat(debug.desired().get("$edgeAgent").path("modules").has("logger")).isTrue();
        assertThat(debug.desired().get("$edgeHub").path("routes").size()).isEqualTo(2);
        assertThat(debug.desired().get("filter").toString()).isEqualTo("{\"threshold\":35,\"unit\":\"C\"}");

        EffectiveDesired plain = EffectiveDesired.of(device("b", "{\"site\": \"plant-1\"}"), all);
        assertThat(plain.layers()).isEmpty();
        assertThat(plain.desired().get("$edgeAgent").path("modules").has("logger")).isFalse();

        EffectiveDesired noBase = EffectiveDesired.of(device("c", "{\"debug\": true}"), all);
        assertThat(noBase.base()).isEmpty();
        assertThat(noBase.layers()).isEmpty();
        assertThat(noBase.desired()).isEmpty();
    }

    @Test
    void theBasesOwnContentIsNotChangedByWhatIsMergedOverIt() throws Exception {
        HubDeployment b = base("base", 0, "IS_DEFINED(deviceId)", "filter", 1);
        List<HubDeployment> all = List.of(b, layer("l", 0, "IS_DEFINED(deviceId)", "{\"filter\":"
                + " {\"properties.desired.threshold\": 99}}", 2));

        EffectiveDesired.of(device("a", "{}"), all);

        assertThat(b.modulesContent().path("filter").path("properties.desired").path("threshold").asInt())
                .isEqualTo(25);
    }
}
