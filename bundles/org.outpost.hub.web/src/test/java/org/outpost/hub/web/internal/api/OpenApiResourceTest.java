/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class OpenApiResourceTest {

    @Test
    void theDescriptionIsGeneratedFromTheResourcesWithEveryPathUnderApi() throws Exception {
        Response r = new OpenApiResource().document();
        assertThat(r.getMediaType()).hasToString("application/json");
        JsonNode doc;
        try (InputStream in = (InputStream) r.getEntity()) {
            doc = ApiJson.MAPPER.readTree(in);
        }
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("Outpost hub REST API");
        assertThat(doc.path("paths").fieldNames()).toIterable().containsExactlyInAnyOrder("/api/fleet",
                "/api/devices", "/api/devices/{deviceId}", "/api/devices/{deviceId}/tags",
                "/api/devices/{deviceId}/keys/{which}/rotate", "/api/devices/{deviceId}/twin",
                "/api/devices/{deviceId}/modules/{moduleId}/twin", "/api/devices/{deviceId}/modules",
                "/api/devices/{deviceId}/modules/{moduleId}", "/api/devices/{deviceId}/telemetry",
                "/api/devices/{deviceId}/children", "/api/devices/{deviceId}/health", "/api/health",
                "/api/deployments", "/api/deployments/check", "/api/deployments/{deploymentId}", "/api/openapi.json",
                "/api/metrics/devices/{deviceId}", "/api/metrics/devices/{deviceId}/series", "/api/metrics/fleet",
                "/api/metrics/fleet/series", "/api/uploads", "/api/uploads/{id}", "/api/uploads/{id}/files/{seq}",
                "/api/routing/endpoints", "/api/routing/endpoints/{name}", "/api/routing/endpoints/{name}/deadletters",
                "/api/routing/endpoints/{name}/deadletters/replay", "/api/routing/routes", "/api/routing/routes/{name}",
                "/api/routing/test", "/api/routing/consumergroups", "/api/routing/consumergroups/{name}");
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
        assertThat(doc.path("components").path("schemas").path("Error").path("properties").fieldNames())
                .toIterable().containsExactly("error", "path");
    }
}
