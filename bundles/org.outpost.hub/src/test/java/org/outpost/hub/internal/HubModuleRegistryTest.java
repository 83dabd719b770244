/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.hub.storage.internal.Database;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.IdentityRegistry.Answer;

class HubModuleRegistryTest {

    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString(new byte[16]);
    private static final Identity AGENT = Identity.module("gw", "$edgeAgent");

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private ModuleStore modules;
    private HubModuleRegistry registry;
    private final List<Identity> closed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        devices.create("gw");
        devices.create("other");
        modules = new ModuleStore(db, devices, Boxes.BOX);
        modules.onRevoked(closed::add);
        registry = new HubModuleRegistry(devices, modules);
    }

    @AfterEach
    void tearDown() {
        modules.deactivate();
        devices.deactivate();
        db.close();
    }

    private static String body(String generation, String primary, String secondary) {
        return "{\"generationId\":\"" + generation + "\",\"primaryKey\":\"" + primary + "\",\"secondaryKey\":\""
                + secondary + "\"}";
    }

    private static JsonNode json(Answer a) throws Exception {
        return new ObjectMapper().readTree(a.bodyJson());
    }

    @Test
    void theAgentRegistersAModuleOfItsDeviceAndIsAnsweredWithItWithoutKeys() throws Exception {
        Answer a = registry.putModule(AGENT, "pump", body("g1", K1, K2));

        assertThat(a.status()).isEqualTo(200);
        JsonNode identity = json(a);
        assertThat(identity.path("deviceId").asText()).isEqualTo("gw");
        assertThat(identity.path("moduleId").asText()).isEqualTo("pump");
        assertThat(identity.path("generationId").asText()).isEqualTo("g1");
        assertThat(identity.path("managedBy").asText()).isEqualTo("$edgeAgent");
        assertThat(identity.path("change").asText()).isEqualTo("created");
        assertThat(identity.has("created")).isTrue();
        assertThat(a.bodyJson()).doesNotContain(K1).doesNotContain(K2);
        assertThat(modules.keys("gw", "pump")).contains(new ModuleRegistry.Keys(K1, K2));
        assertThat(registry.putModule(Identity.device("gw"), "filter", body("g1", K1, K2)).status()).isEqualTo(200);
        assertThat(modules.keys("other", "pump")).isEmpty();
    }

    @Test
    void onlyTheAgentOrTheDeviceMayAndOnlyForAnEnabledDevice() throws Exception {
        Answer byModule = registry.putModule(Identity.module("gw", "pump"), "filter", body("g1", K1, K2));
        Answer byHub = registry.deleteModule(Identity.module("gw", "$edgeHub"), "filter");

        assertThat(byModule.status()).isEqualTo(403);
        assertThat(json(byModule).path("message").asText()).isEqualTo("gw/pump may not manage module identities:"
                + " only gw/$edgeAgent (or the device gw) may, for its own device");
        assertThat(byHub.status()).isEqualTo(403);
        devices.setEnabled("gw", false);
        Answer disabled = registry.putModule(AGENT, "filter", body("g1", K1, K2));
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(json(disabled).path("message").asText()).isEqualTo("device 'gw' is disabled");
        assertThat(modules.modules("gw")).isEmpty();
    }

    @Test
    void aBadModuleIdOrBodyIs400NamingTheFieldAndChangesNothing() throws Exception {
        String notBase64 = "not base64!";
        String[][] cases = {
            {"pump", "{", "the body is not JSON: "},
            {"pump", "[1]", "the body is not a JSON object"},
            {"pump", "{\"primaryKey\":\"" + K1 + "\",\"secondaryKey\":\"" + K2 + "\"}", "generationId: "},
            {"pump", body("", K1, K2), "generationId: "},
            {"pump", "{\"generationId\":\"g\",\"secondaryKey\":\"" + K2 + "\"}", "primaryKey: a Base64 key"},
            {"pump", body("g", notBase64, K2), "primaryKey: not Base64"},
            {"pump", body("g", K1, Base64.getEncoder().encodeToString(new byte[8])), "secondaryKey: 8 bytes"},
            {"pump.1", body("g", K1, K2), "module id 'pump.1' is not valid"},
            {"$edgeHub", body("g", K1, K2), "'$edgeHub' is a system module"},
        };
        for (String[] c : cases) {
            Answer a = registry.putModule(AGENT, c[0], c[1]);
            assertThat(a.status()).as(c[1]).isEqualTo(400);
            assertThat(json(a).path("message").asText()).as(c[1]).startsWith(c[2]).doesNotContain(notBase64);
        }
        assertThat(modules.modules("gw")).isEmpty();
    }

    @Test
    void aNewGenerationReplacesTheOldAndClosesItsConnectionsButTheSameOneAgainDoesNot() throws Exception {
        registry.putModule(AGENT, "pump", body("g1", K1, K2));

        Answer again = registry.putModule(AGENT, "pump", body("g1", K1, K2));
        assertThat(json(again).path("change").asText()).isEqualTo("unchanged");
        assertThat(closed).isEmpty();

        Answer replaced = registry.putModule(AGENT, "pump", body("g2", K2, K1));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(json(replaced).path("change").asText()).isEqualTo("replaced");
        assertThat(modules.module("gw", "pump").orElseThrow().generationId()).isEqualTo("g2");
        assertThat(closed).containsExactly(Identity.module("gw", "pump"));
    }

    @Test
    void aDeleteRemovesTheIdentityAndClosesItsConnectionsAndAnUnknownOneIs404() throws Exception {
        registry.putModule(AGENT, "pump", body("g1", K1, K2));

        Answer deleted = registry.deleteModule(AGENT, "pump");
        Answer again = registry.deleteModule(AGENT, "pump");

        assertThat(deleted).isEqualTo(new Answer(204, ""));
        assertThat(closed).containsExactly(Identity.module("gw", "pump"));
        assertThat(again.status()).isEqualTo(404);
        assertThat(json(again).path("message").asText()).isEqualTo("no module identity 'gw/pump'");
    }
}
