/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.HubDeployment;

class DeploymentsResourceTest {

    private static final String DEPLOYMENT = "{\"priority\": 10, \"targetCondition\": \"tags.site = 'plant-9'\","
            + " \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
            + " \"1.1\", \"modules\": {\"heartbeat\": {\"type\": \"bundle\", \"settings\": {\"location\":"
            + " \"mvn:org.outpost/heartbeat/1.0.0\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
            + " {\"schemaVersion\": \"1.1\", \"routes\": {}}}}}}";

    private final FakeHub hub = new FakeHub();
    private final Map<String, DeploymentStatus> stored = new LinkedHashMap<>();
    private final List<String> bodies = new ArrayList<>();
    private final DeploymentsResource resource = new DeploymentsResource(Stub.of(Deployments.class)
            .on("deployments", a -> List.copyOf(stored.values()))
            .on("deployment", a -> Optional.ofNullable(stored.get((String) a[0])))
            .on("create", a -> {
                bodies.add((String) a[0]);
                DeploymentStatus s = status(HubDeployment.parse((String) a[0], Instant.EPOCH));
                stored.put(s.deployment().id(), s);
                return s;
            })
            .on("update", a -> {
                bodies.add((String) a[1]);
                return stored.get((String) a[0]);
            })
            .on("delete", a -> stored.remove((String) a[0]) != null).build(), hub.registry(), hub.twins());

    private static DeploymentStatus status(HubDeployment d) {
        return new DeploymentStatus(d, List.of(), List.of(), List.of(), Map.of(), List.of());
    }

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDeploymentIsCreatedUnderTheUrlsIdWith201() {
        Response r = resource.create("d1", body(DEPLOYMENT));
        assertThat(r.getStatus()).isEqualTo(201);
        assertThat(bodies.get(0)).contains("\"id\":\"d1\"");
        assertThat(FakeHub.map(r.getEntity())).containsEntry("id", "d1").containsEntry("priority", 10)
                .containsKeys("systemMetrics", "content", "targetedDevices", "pendingDevices");
        assertThat(resource.list()).singleElement().satisfies(s -> assertThat(s).doesNotContainKey("content"));
    }

    @Test
    void aBodyThatIsNotAnObjectOrNamesAnotherIdOrAnExistingOneIsRefused() {
        assertThatThrownBy(() -> resource.create("d1", body("[1]"))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("$"));
        assertThatThrownBy(() -> resource.create("d1", body("{\"id\": \"d2\"}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("the body's id 'd2' is not the URL's 'd1'");
                });
        resource.create("d1", body(DEPLOYMENT));
        assertThatThrownBy(() -> resource.create("d1", body(DEPLOYMENT))).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void aBadDeploymentIsTheServicesRefusalWithItsPath() {
        assertThatThrownBy(() -> resource.create("x", body("{\"targetCondition\": \"tags.a = 1\", \"content\":"
                + " {\"modulesContent\": {\"m\": {\"properties.desired.x\": 1, \"settings\": 2}}}}")))
                .isInstanceOf(DeploymentException.class);
    }

    @Test
    void theCheckListsTheDevicesItWouldTargetAndChangesNothing() {
        hub.add("a", "plant-9");
        hub.add("b", "plant-1");
        Map<String, Object> checked = resource.check(body(DEPLOYMENT.replace("{\"priority\"",
                "{\"id\": \"d2\", \"priority\"")));
        assertThat(checked).containsEntry("id", "d2").containsEntry("exists", false)
                .containsEntry("targetedDevices", List.of("a"))
                .containsEntry("identities", List.of("$edgeAgent", "$edgeHub"));
        assertThat(stored).isEmpty();
    }

    @Test
    void anUnknownDeploymentIs404AndItsBodyIsNotRead() {
        assertThatThrownBy(() -> resource.retarget("nope", body("{bad"))).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("no deployment 'nope'"));
        assertThatThrownBy(() -> resource.deployment("nope")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> resource.delete("nope")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }
}
