/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.config.ConfigValues;
import org.outpost.identity.api.ModuleIdentities.Pending;
import org.outpost.identity.api.ModuleIdentities.Placement;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.identity.internal.TestSupport.MovableClock;

class GatewayModuleIdentitiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path data;
    private final AtomicReference<String> device = new AtomicReference<>("gw-1");

    private GatewayModuleIdentities identities() throws IOException {
        return new GatewayModuleIdentities(data, device::get, TestSupport.settings(data), new MovableClock(T0),
                new SecureRandom());
    }

    private Path file() {
        return data.resolve("outpost/identities/modules.json");
    }

    @Test
    void aNewIdentityHasTwoRandomKeysOf32BytesAndAGenerationNotYetAtTheHub() throws IOException {
        ModuleIdentity id = identities().create("filter");

        assertThat(id.id()).isEqualTo("gw-1/filter");
        assertThat(Base64.getDecoder().decode(id.primaryKey())).hasSize(32);
        assertThat(Base64.getDecoder().decode(id.secondaryKey())).hasSize(32);
        assertThat(id.primaryKey()).isNotEqualTo(id.secondaryKey());
        assertThat(id.generationId()).matches("[1-9][0-9]{17}");
        assertThat(id.created()).isEqualTo(T0);
        assertThat(id.registered()).isFalse();
        assertThat(id.toString()).doesNotContain(id.primaryKey());
    }

    @Test
    void createIsIdempotent() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity first = ids.create("filter");

        assertThat(ids.create("filter")).isEqualTo(first);
        assertThat(ids.identities()).containsExactly(first);
    }

    @Test
    void identitiesPersistInAnOwnerOnlyFileAcrossInstances() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity filter = ids.create("filter");
        ModuleIdentity sensor = ids.create("sensor");
        ids.registeredAtHub("sensor", sensor.generationId());

        GatewayModuleIdentities again = identities();
        assertThat(again.identities()).containsExactly(filter, sensor.withRegistered(true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void systemModulesAndInvalidIdsGetNoIdentity() throws IOException {
        GatewayModuleIdentities ids = identities();

        assertThatThrownBy(() -> ids.create("$edgeAgent")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'$edgeAgent' is a system module");
        assertThatThrownBy(() -> ids.create("$edgeHub")).hasMessageContaining("system module");
        assertThatThrownBy(() -> ids.create("a.b")).hasMessageContaining("module id 'a.b' is not valid");
        assertThat(ids.identities()).isEmpty();
    }

    @Test
    void theHubHearsOfNewIdentitiesAndOfDeletionsUntilItHasThem() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity filter = ids.create("filter");
        assertThat(ids.pending()).isEqualTo(new Pending(List.of(filter), List.of()));

        ids.registeredAtHub("filter", filter.generationId());
        assertThat(ids.pending().isEmpty()).isTrue();

        assertThat(ids.delete("filter")).isTrue();
        assertThat(ids.delete("filter")).isFalse();
        assertThat(ids.identity("filter")).isEmpty();
        assertThat(identities().pending()).as("kept across restarts").isEqualTo(new Pending(List.of(),
                List.of("filter")));

        ids.deletedAtHub("filter");
        assertThat(ids.pending().isEmpty()).isTrue();
    }

    @Test
    void theHubHoldingAnOldGenerationDoesNotRegisterTheNewOne() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity old = ids.create("filter");
        ids.delete("filter");
        ModuleIdentity renewed = ids.create("filter");

        ids.registeredAtHub("filter", old.generationId());

        assertThat(renewed.generationId()).isNotEqualTo(old.generationId());
        assertThat(ids.identity("filter")).get().extracting(ModuleIdentity::registered).isEqualTo(false);
        assertThat(ids.pending().toRegister()).containsExactly(renewed);
        assertThat(ids.pending().toDelete()).as("the new generation replaces the old one at the hub").isEmpty();
    }

    @Test
    void aDeletionTheHubConfirmsAfterTheModuleCameBackLeavesItsNewIdentity() throws IOException {
        GatewayModuleIdentities ids = identities();
        ids.create("filter");
        ids.delete("filter");
        ModuleIdentity back = ids.create("filter");

        ids.deletedAtHub("filter");

        assertThat(ids.identity("filter")).contains(back);
    }

    @Test
    void listenersHearOfCreationsAndDeletionsOnly() throws Exception {
        GatewayModuleIdentities ids = identities();
        List<String> heard = new ArrayList<>();
        AutoCloseable subscription = ids.onChange(() -> heard.add("change"));

        ModuleIdentity filter = ids.create("filter");
        ids.create("filter");
        ids.registeredAtHub("filter", filter.generationId());
        ids.delete("filter");
        subscription.close();
        ids.create("other");

        assertThat(heard).containsExactly("change", "change");
    }

    @Test
    void aNewDeviceIdRegistersEveryIdentityAgainUnderIt() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity filter = ids.create("filter");
        ids.registeredAtHub("filter", filter.generationId());
        ids.create("gone");
        ids.delete("gone");

        device.set("gw-2");

        assertThat(ids.deviceId()).isEqualTo("gw-2");
        assertThat(ids.pending().toRegister()).extracting(ModuleIdentity::id).containsExactly("gw-2/filter");
        assertThat(ids.pending().toDelete()).isEmpty();
        assertThat(ids.identity("filter").orElseThrow().primaryKey()).isEqualTo(filter.primaryKey());
    }

    @Test
    void aProcessModuleIsToldItsOwnSocketAndEverythingIotEdgeSets() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity filter = ids.create("filter");

        assertThat(ids.environment("filter", Placement.PROCESS)).containsExactly(
                entry("IOTEDGE_WORKLOADURI", "unix://" + data.resolve("workload").toAbsolutePath()
                        .resolve("filter.sock")),
                entry("IOTEDGE_DEVICEID", "gw-1"),
                entry("IOTEDGE_MODULEID", "filter"),
                entry("IOTEDGE_MODULEGENERATIONID", filter.generationId()),
                entry("IOTEDGE_IOTHUBHOSTNAME", "outpost-hub.local"),
                entry("IOTEDGE_GATEWAYHOSTNAME", "localhost"),
                entry("IOTEDGE_APIVERSION", "2019-01-30"),
                entry("IOTEDGE_AUTHSCHEME", "sasToken"));
    }

    @Test
    void aContainerModuleFindsItsSocketWhereIotEdgeMountsIt() throws IOException {
        GatewayModuleIdentities ids = identities();
        ids.create("filter");

        assertThat(ids.environment("filter", Placement.CONTAINER)).containsEntry("IOTEDGE_WORKLOADURI",
                "unix:///var/run/iotedge/workload.sock").containsEntry("IOTEDGE_MODULEID", "filter");
    }

    @Test
    void theConnectionStringNamesTheHubTheDeviceTheModuleItsKeyAndTheGateway() throws IOException {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity filter = ids.create("filter");

        assertThat(ids.connectionString("filter")).isEqualTo("HostName=outpost-hub.local;DeviceId=gw-1;"
                + "ModuleId=filter;SharedAccessKey=" + filter.primaryKey() + ";GatewayHostName=localhost");
    }

    @Test
    void aModuleWithoutAnIdentityIsRefusedNamingThoseThatHaveOne() throws IOException {
        GatewayModuleIdentities ids = identities();
        assertThatThrownBy(() -> ids.connectionString("nope")).hasMessageContaining("no module has one yet");
        ids.create("filter");
        ids.create("sensor");

        assertThatThrownBy(() -> ids.environment("nope", Placement.PROCESS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module 'nope' has no identity on this gateway (modules with one: filter, sensor); the"
                        + " deployment makes one when it adds the module");
    }

    @Test
    void anUnreadableFileIsRefusedWithoutQuotingItsKeysAndIsLeftAsItIs() throws IOException {
        ModuleIdentity filter = identities().create("filter");
        String broken = Files.readString(file()).replace("\"registered\"", "registered");
        Files.writeString(file(), broken);

        assertThatThrownBy(this::identities).isInstanceOf(IOException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("is not valid (line")
                .hasMessageContaining("delete it to start over")
                .message().doesNotContain(filter.primaryKey());
        assertThat(Files.readString(file())).isEqualTo(broken);
    }

    @Test
    void theServiceReadsItsDeviceIdFromTheRuntimeAndItsSettingsFromItsConfiguration() throws IOException {
        GatewayModuleIdentities ids = new GatewayModuleIdentities(TestSupport.context(data),
                TestSupport.runtime("gw-9"), ConfigValues.defaults(IdentitySettings.Config.class),
                java.util.Map.of());

        ids.create("filter");

        assertThat(ids.connectionString("filter")).startsWith("HostName=outpost-hub.local;DeviceId=gw-9;")
                .endsWith(";GatewayHostName=localhost");
        assertThat(ids.environment("filter", Placement.PROCESS).get("IOTEDGE_WORKLOADURI")).isEqualTo("unix://"
                + new WorkloadSockets(data.resolve("outpost/workload")).socket("filter"));
        assertThat(file()).exists();
    }

    @Test
    void reKeyingGivesNewKeysInTheSameGenerationToBeRegisteredAgainAndRevokesTheModule() throws Exception {
        GatewayModuleIdentities ids = identities();
        ModuleIdentity before = ids.create("filter");
        ids.registeredAtHub("filter", before.generationId());
        List<String> revoked = new ArrayList<>();
        ids.onRevoked(revoked::add);

        ModuleIdentity after = ids.rekey("filter");

        assertThat(after.generationId()).isEqualTo(before.generationId());
        assertThat(after.primaryKey()).isNotIn(before.primaryKey(), before.secondaryKey());
        assertThat(after.secondaryKey()).isNotIn(before.primaryKey(), before.secondaryKey());
        assertThat(after.registered()).isFalse();
        assertThat(identities().identity("filter")).contains(after);
        assertThat(ids.pending().toRegister()).containsExactly(after);
        assertThat(revoked).containsExactly("filter");
        assertThatThrownBy(() -> ids.rekey("ghost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("module 'ghost' has no identity on this gateway");
    }

    @Test
    void aModuleIsRevokedWhenItsIdentityIsDeletedOrTheDeviceIdChangesButNotWhenOneIsMade() throws Exception {
        GatewayModuleIdentities ids = identities();
        List<String> revoked = new ArrayList<>();
        AutoCloseable subscription = ids.onRevoked(revoked::add);

        ids.create("filter");
        ids.create("sensor");
        assertThat(revoked).isEmpty();
        ids.delete("filter");
        assertThat(revoked).containsExactly("filter");
        device.set("gw-2");
        ids.identities();
        assertThat(revoked).containsExactly("filter", "sensor");

        subscription.close();
        ids.delete("sensor");
        assertThat(revoked).containsExactly("filter", "sensor");
    }
}
