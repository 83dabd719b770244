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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.outpost.hub.uploads.Uploads;

class UploadsResourceTest {

    private final List<String> asked = new ArrayList<>();
    private final Uploads.Upload upload = new Uploads.Upload("u1", "gw", Uploads.Kind.SUPPORT_BUNDLE,
            "{\"since\":\"1h\"}", "task-1", "Completed", "", Instant.parse("2026-12-05T10:00:00Z"),
            Instant.parse("2026-12-05T11:00:00Z"), List.of(new Uploads.UploadFile(7, "hub/gw/support-bundle-x.zip",
                    "application/zip", null, 3, "abc", Instant.parse("2026-12-05T10:00:05Z"))));

    private final Uploads uploads = new Uploads() {
        @Override
        public Upload request(String deviceId, Kind kind, String optionsJson) {
            if (deviceId.equals("ghost")) {
                throw new IllegalArgumentException("there is no device 'ghost'");
            }
            asked.add(deviceId + " " + kind + " " + optionsJson);
            return upload;
        }

        @Override
        public List<Upload> list(String deviceId, int limit) {
            return deviceId == null || deviceId.equals("gw") ? List.of(upload) : List.of();
        }

        @Override
        public Optional<Upload> get(String id) {
            return id.equals("u1") ? Optional.of(upload) : Optional.empty();
        }

        @Override
        public Optional<byte[]> content(String id, long seq) {
            return id.equals("u1") && seq == 7 ? Optional.of("zip".getBytes(StandardCharsets.UTF_8))
                    : Optional.empty();
        }

        @Override
        public boolean delete(String id) {
            return id.equals("u1");
        }

        @Override
        public UploadFile receive(String id, String signature, String name, String contentType, String encoding,
                byte[] body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long maxBytes() {
            return 10;
        }
    };

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void askingForAnUploadNamesTheDeviceTheKindAndItsOptions() throws Exception {
        UploadsResource r = new UploadsResource(uploads);
        Response created = r.request(body("{\"deviceId\": \"gw\", \"kind\": \"module-logs\", \"options\":"
                + " {\"encoding\": \"gzip\"}}"));
        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(asked).containsExactly("gw MODULE_LOGS {\"encoding\":\"gzip\"}");
        String json = ApiJson.MAPPER.writeValueAsString(created.getEntity());
        assertThat(json).contains("\"kind\" : \"support-bundle\"", "\"taskStatus\" : \"Completed\"",
                "\"href\" : \"/api/uploads/u1/files/7\"", "\"since\" : \"1h\"");
        r.request(body("{\"deviceId\": \"gw\"}"));
        assertThat(asked).last().isEqualTo("gw SUPPORT_BUNDLE null");
    }

    @Test
    void wrongRequestsAre400AndUnknownThings404() {
        UploadsResource r = new UploadsResource(uploads);
        assertThatThrownBy(() -> r.request(body("{\"kind\": \"support-bundle\"}"))).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> r.request(body("{\"deviceId\": \"gw\", \"kind\": \"core-dump\"}")))
                .hasMessage("kind is 'support-bundle' or 'module-logs', not 'core-dump'");
        assertThatThrownBy(() -> r.request(body("{\"deviceId\": \"ghost\"}"))).extracting(e -> ((ApiException) e)
                .status()).isEqualTo(404);
        assertThatThrownBy(() -> r.get("nope")).extracting(e -> ((ApiException) e).status()).isEqualTo(404);
        assertThatThrownBy(() -> r.file("u1", "8")).hasMessage("upload 'u1' has no file 8");
        assertThatThrownBy(() -> r.delete("nope")).extracting(e -> ((ApiException) e).status()).isEqualTo(404);
    }

    @Test
    void aFileIsServedAsItWasSentWithItsName() throws Exception {
        Response f = new UploadsResource(uploads).file("u1", "7");
        assertThat(f.getMediaType().toString()).isEqualTo("application/zip");
        assertThat(f.getHeaderString("Content-Disposition")).isEqualTo(
                "attachment; filename=\"support-bundle-x.zip\"");
        assertThat(((InputStream) f.getEntity()).readAllBytes()).isEqualTo("zip".getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> list = new UploadsResource(uploads).list("gw", null);
        assertThat(list).singleElement().extracting(m -> m.get("id")).isEqualTo("u1");
    }
}
