/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class DevicesResourceTest {

    private final FakeHub hub = new FakeHub();
    private final DevicesResource resource = new DevicesResource(hub.registry(), hub.modules(), hub.twins(),
            hub.deployments(), hub.telemetry());

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (ApiException e) {
            return e.status();
        }
    }

    @Test
    void theListIsAPageOfTheMatchingDevicesWithTheirCountInAHeader() {
        hub.add("a", "plant-1");
        hub.add("b", "plant-2");
        hub.add("c", "plant-1");
        Response page = resource.list("tags.site = 'plant-1'", "1", "5");
        assertThat(page.getHeaderString("X-Total-Count")).isEqualTo("2");
        assertThat((List<?>) page.getEntity()).singleElement().satisfies(d -> assertThat(FakeHub.map(d))
                .containsEntry("deviceId", "c").containsEntry("status", "enabled")
                .containsEntry("connectionState", "disconnected").containsKeys("tags", "modules", "layers"));
        assertThat(resource.list(null, null, "1").getHeaderString("X-Total-Count")).isEqualTo("3");
    }

    @Test
    void aPageOfAHundredDevicesCostsTheHubAsManyCallsAsAPageOfOne() {
        for (int i = 0; i < 300; i++) {
            hub.add(String.format("gw-%03d", i), i % 2 == 0 ? "plant-1" : "plant-2");
        }
        Map<String, Integer> one = reads(() -> resource.list(null, "0", "1"));
        Map<String, Integer> hundred = reads(() -> resource.list(null, "0", "100"));
        assertThat(hundred).isEqualTo(one).containsOnlyKeys("DeviceRegistry.devices", "Twins.tagsOf",
                "Twins.twinsOf", "Deployments.appliedTo").allSatisfy((method, calls) -> assertThat(calls)
                        .isEqualTo(1));
        assertThat((List<?>) resource.list(null, "250", "100").getEntity()).hasSize(50);

        Map<String, Integer> filtered = reads(() -> resource.list("tags.site = 'plant-1'", "0", "100"));
        assertThat(filtered).containsEntry("Twins.query", 1).doesNotContainKey("Twins.conditionDocument")
                .hasSize(5);
    }

    private Map<String, Integer> reads(Runnable call) {
        hub.reads.clear();
        call.run();
        return new java.util.TreeMap<>(hub.reads);
    }

    @Test
    void aBadConditionOrPageIsRefusedWithTheParameterAsPath() {
        assertThatThrownBy(() -> resource.list("tags.site =", null, null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("q"));
        assertThatThrownBy(() -> resource.list(null, "-1", null)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("offset"));
    }

    @Test
    void aNewDeviceIs201WithItsKeyAndAnExistingOne409() {
        Response created = resource.create("gw-7", body("{\"tags\": {\"site\": \"plant-1\"}}"));
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(FakeHub.map(created.getEntity())).containsExactly(Map.entry("deviceId", (Object) "gw-7"),
                Map.entry("primaryKey", (Object) "key-1"));
        assertThat(hub.calls).contains("tags gw-7 {\"site\":\"plant-1\"}");
        assertThatThrownBy(() -> resource.create("gw-7", body(""))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("device 'gw-7' exists; rotate its keys with POST"
                        + " /api/devices/gw-7/keys/primary/rotate"));
    }

    @Test
    void aDeviceWhoseTagsTheHubRefusesIsNotLeftHalfMade() {
        assertThatThrownBy(() -> resource.create("gw-8", body("{\"tags\": {\"bad\": 1}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hub.devices).doesNotContainKey("gw-8");
        assertThat(hub.calls).contains("delete gw-8");
    }

    @Test
    void aDeviceIsDisabledAndEnabledByItsStatusOnly() {
        hub.add("a", null);
        assertThat(resource.patch("a", body("{\"status\": \"disabled\"}"))).containsKeys("edgeAgent", "twin",
                "telemetry");
        assertThat(hub.calls).containsExactly("enabled a false");
        assertThatThrownBy(() -> resource.patch("a", body("{\"status\": \"maybe\"}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.path()).isEqualTo("status"));
    }

    @Test
    void anUnknownDeviceIs404EverywhereButItsBodyIsReadFirstWhereItAlwaysWas() {
        assertThat(status(() -> resource.device("nope"))).isEqualTo(404);
        assertThat(status(() -> resource.delete("nope"))).isEqualTo(404);
        assertThat(status(() -> resource.telemetry("nope", null))).isEqualTo(404);
        assertThat(status(() -> resource.tags("nope"))).isEqualTo(404);
        assertThat(status(() -> resource.patchTwin("nope", body("{bad")))).isEqualTo(404);
        assertThat(status(() -> resource.patch("nope", body("{bad")))).isEqualTo(400);
    }

    @Test
    void keysArePrimaryOrSecondary() {
        hub.add("a", null);
        assertThat(resource.rotate("a", "secondary")).containsEntry("secondaryKey", "new-key");
        assertThatThrownBy(() -> resource.rotate("a", "tertiary")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("keys are 'primary' or 'secondary', not 'tertiary'"));
    }

    @Test
    void aTwinPatchIsAMergePatchOfTheDesiredProperties() {
        hub.add("a", null);
        resource.patchModuleTwin("a", "m1", body("{\"properties\": {\"desired\": {\"x\": 1}}}"));
        assertThat(hub.calls).containsExactly("desired a m1 {\"x\":1}");
        assertThatThrownBy(() -> resource.patchTwin("a", body("{\"x\": 1}"))).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.path()).isEqualTo("properties.desired"));
    }

    @Test
    void theTelemetryLimitIsOneToAThousand() {
        hub.add("a", null);
        assertThat(resource.telemetry("a", "1000")).isEmpty();
        assertThatThrownBy(() -> resource.telemetry("a", "1001")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("limit"));
    }

    @Test
    void aDevicesModuleIdentitiesAreListedWithoutKeysAndAnUnknownOneIs404() {
        hub.add("gw", null);

        List<Map<String, Object>> modules = resource.modules("gw");

        assertThat(modules).singleElement().satisfies(m -> assertThat(m).containsOnlyKeys("deviceId", "moduleId",
                "generationId", "managedBy", "created", "connectionState").containsEntry("moduleId", "filter")
                .containsEntry("connectionState", "connected").containsEntry("created", "2026-01-02T00:00:00Z"));
        assertThat(resource.module("gw", "filter")).containsEntry("generationId", "g1");
        assertThatThrownBy(() -> resource.module("gw", "$edgeAgent")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThat(status(() -> resource.modules("nobody"))).isEqualTo(404);
    }
}
