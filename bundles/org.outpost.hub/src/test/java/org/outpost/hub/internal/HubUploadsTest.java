/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.Methods;
import org.outpost.hub.storage.internal.Database;
import org.outpost.hub.uploads.Uploads;

class HubUploadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Database db;
    private DeviceStore devices;
    private HubUploads uploads;
    /** What the fake device was called with: method and payload. */
    private final List<String[]> calls = new CopyOnWriteArrayList<>();
    private volatile Methods.Result answer = new Methods.Result(200,
            "{\"status\":\"NotStarted\",\"message\":\"\",\"correlationId\":\"task-1\"}");
    private volatile Methods.Result statusAnswer = new Methods.Result(200,
            "{\"status\":\"Completed\",\"message\":\"\",\"correlationId\":\"task-1\"}");
    private Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("gw");
        uploads = uploads(64);
    }

    private HubUploads uploads(long maxBytes) {
        Methods methods = (device, module, method, payload, timeout) -> {
            calls.add(new String[] {device + "/" + module, method, payload});
            return CompletableFuture.completedFuture(method.equals("GetTaskStatus") ? statusAnswer : answer);
        };
        return new HubUploads(db, methods, new HubUploads.Settings(URI.create("http://hub.example:8181"),
                Duration.ofMinutes(60), maxBytes, Duration.ofDays(14), Duration.ofSeconds(5)), () -> clock.instant(),
                () -> URI.create("http://127.0.0.1:1"));
    }

    @AfterEach
    void tearDown() {
        uploads.deactivate();
        devices.deactivate();
        db.close();
    }

    private static Map<String, String> query(String url) {
        return java.util.Arrays.stream(URI.create(url).getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(java.util.stream.Collectors.toMap(p -> p[0], p -> p[1]));
    }

    @Test
    void aSupportBundleIsAskedWithASignedUrlAndWhatArrivesIsKept() throws Exception {
        Uploads.Upload u = uploads.request("gw", Uploads.Kind.SUPPORT_BUNDLE, "{\"since\": \"1h\"}");
        assertThat(u.taskStatus()).isEqualTo("NotStarted");
        assertThat(u.correlationId()).isEqualTo("task-1");
        assertThat(calls.get(0)[0]).isEqualTo("gw/$edgeAgent");
        assertThat(calls.get(0)[1]).isEqualTo("UploadSupportBundle");
        JsonNode payload = JSON.readTree(calls.get(0)[2]);
        assertThat(payload.path("schemaVersion").asText()).isEqualTo("1.0");
        assertThat(payload.path("since").asText()).isEqualTo("1h");
        String sas = payload.path("sasUrl").asText();
        assertThat(sas).startsWith("http://hub.example:8181/uploads/" + u.id() + "?sv=outpost-1&sr=c&sp=cw&se=");
        assertThat(u.request()).doesNotContain("sasUrl", query(sas).get("sig"));

        byte[] zip = "PK zip".getBytes(StandardCharsets.UTF_8);
        Uploads.UploadFile f = uploads.receive(u.id(), query(sas).get("sig"), "hub/gw/support-bundle-x.zip",
                "application/zip", null, zip);
        assertThat(f.bytes()).isEqualTo(zip.length);
        assertThat(uploads.content(u.id(), f.seq())).contains(zip);

        // Reading it asks the device how its task went.
        Uploads.Upload done = uploads.get(u.id()).orElseThrow();
        assertThat(done.taskStatus()).isEqualTo("Completed");
        assertThat(done.files()).extracting(Uploads.UploadFile::name).containsExactly("hub/gw/support-bundle-x.zip");
        assertThat(calls.get(1)[1]).isEqualTo("GetTaskStatus");
        assertThat(JSON.readTree(calls.get(1)[2]).path("correlationId").asText()).isEqualTo("task-1");
        assertThat(uploads.list("gw", 10)).extracting(Uploads.Upload::id).containsExactly(u.id());
        assertThat(uploads.list("other", 10)).isEmpty();

        // A finished task is not asked again; a blob put twice replaces the first.
        uploads.get(u.id());
        assertThat(calls).hasSize(2);
        uploads.receive(u.id(), query(sas).get("sig"), "hub/gw/support-bundle-x.zip", "application/zip", null,
                new byte[] {1});
        assertThat(uploads.get(u.id()).orElseThrow().files()).singleElement().extracting(Uploads.UploadFile::bytes)
                .isEqualTo(1L);
        assertThat(uploads.delete(u.id())).isTrue();
        assertThat(uploads.get(u.id())).isEmpty();
    }

    @Test
    void moduleLogsGetIotEdgesDefaultsUnlessGiven() throws Exception {
        uploads.request("gw", Uploads.Kind.MODULE_LOGS, null);
        JsonNode payload = JSON.readTree(calls.get(0)[2]);
        assertThat(calls.get(0)[1]).isEqualTo("UploadModuleLogs");
        assertThat(payload.path("items").get(0).path("id").asText()).isEqualTo(".*");
        assertThat(payload.path("items").get(0).path("filter").path("tail").asInt()).isEqualTo(1000);
        assertThat(payload.path("contentType").asText()).isEqualTo("text");
        uploads.request("gw", Uploads.Kind.MODULE_LOGS, "{\"items\": {\"id\": \"sensor\"}, \"encoding\": \"gzip\","
                + " \"sasUrl\": \"http://elsewhere/c\"}");
        JsonNode second = JSON.readTree(calls.get(1)[2]);
        assertThat(second.path("items").path("id").asText()).isEqualTo("sensor");
        assertThat(second.path("encoding").asText()).isEqualTo("gzip");
        assertThat(second.path("sasUrl").asText()).startsWith("http://hub.example:8181/uploads/");
    }

    @Test
    void aWrongSignatureAnExpiredUrlAndATooLargeFileAreRefused() {
        Uploads.Upload u = uploads.request("gw", Uploads.Kind.SUPPORT_BUNDLE, null);
        String sig = query(sasOf(calls.get(0)[2])).get("sig");
        assertThatThrownBy(() -> uploads.receive(u.id(), "wrong", "a.zip", "application/zip", null, new byte[1]))
                .isInstanceOf(SecurityException.class).hasMessageContaining("signature (sig)");
        assertThatThrownBy(() -> uploads.receive("nope", sig, "a.zip", "application/zip", null, new byte[1]))
                .isInstanceOf(SecurityException.class).hasMessageContaining("no upload nope");
        assertThatThrownBy(() -> uploads.receive(u.id(), sig, "a.zip", "application/zip", null, new byte[65]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64 are taken");
        clock = Clock.offset(clock, Duration.ofMinutes(61));
        assertThatThrownBy(() -> uploads.receive(u.id(), sig, "a.zip", "application/zip", null, new byte[1]))
                .isInstanceOf(SecurityException.class).hasMessageContaining("expired");
        assertThat(uploads.get(u.id()).orElseThrow().files()).isEmpty();
    }

    private static String sasOf(String payload) {
        try {
            return JSON.readTree(payload).path("sasUrl").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDeviceThatDoesNotTakeTheRequestLeavesItRefusedAndAnUnknownDeviceIsAnError() {
        answer = new Methods.Result(404, "{\"message\": \"gw is not connected\"}");
        Uploads.Upload u = uploads.request("gw", Uploads.Kind.SUPPORT_BUNDLE, null);
        assertThat(u.taskStatus()).isEqualTo("Refused");
        assertThat(u.message()).isEqualTo("the device answered 404: gw is not connected");
        assertThat(u.correlationId()).isNull();
        assertThatThrownBy(() -> uploads.request("ghost", Uploads.Kind.SUPPORT_BUNDLE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("there is no device 'ghost'");
        assertThatThrownBy(() -> uploads.request("gw", Uploads.Kind.SUPPORT_BUNDLE, "[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
    }

    @Test
    void oldUploadsAreDeleted() {
        Uploads.Upload u = uploads.request("gw", Uploads.Kind.SUPPORT_BUNDLE, null);
        clock = Clock.offset(clock, Duration.ofDays(15));
        uploads.purge();
        assertThat(uploads.get(u.id())).isEmpty();
    }
}
