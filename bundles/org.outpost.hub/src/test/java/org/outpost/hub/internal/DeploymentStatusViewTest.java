/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.outpost.hub.internal.TestDeployments.base;
import static org.outpost.hub.internal.TestDeployments.layer;
import static org.outpost.hub.internal.TestDeployments.parse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.hub.storage.internal.Database;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

class DeploymentStatusViewTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceStore devices;
    private TwinStore twins;
    private DeploymentRepository repository;
    private DeploymentStatusView view;

    @BeforeEach
    void setUp() {
        db = new Database(Database.Settings.embedded(dir));
        devices = new DeviceStore(db, Boxes.BOX);
        twins = new TwinStore(db, devices, TwinLimits.IOT_HUB);
        repository = new DeploymentRepository(db);
        view = new DeploymentStatusView(repository, twins);
        for (String id : List.of("gw1", "gw2", "gw3", "gw4")) {
            devices.create(id);
            twins.patchTags(id, "{\"env\": \"prod\"}");
        }
    }

    @AfterEach
    void tearDown() {
        devices.deactivate();
        db.close();
    }

    private void applied(String device, String base, List<String> layers, String error) {
        repository.storeApplied(device, new DeploymentRepository.Applied(new EffectiveDesired(Optional.ofNullable(
                base), layers, Map.of()), Set.of("$edgeAgent"), error));
    }

    /** The device's agent reports on the desired version it has (or on another). */
    private void reports(String device, boolean current, String report) {
        long version = twins.twin(device, "$edgeAgent").desiredVersion() + (current ? 0 : 1);
        twins.patchReported(device, "$edgeAgent", "{\"lastDesiredVersion\": " + version + ", " + report + "}");
    }

    @Test
    void aDeploymentsStatusSortsItsDevicesByWhatTheyReport() {
        HubDeployment d = parse(base("prod", 1, "deviceId IN ['gw1', 'gw2', 'gw3']", "filter"));
        applied("gw1", "prod", List.of(), null);
        applied("gw2", "prod", List.of(), "the hub could not set x: too big");
        applied("gw3", "prod", List.of(), null);
        applied("gw4", "prod", List.of(), null);
        reports("gw1", true, "\"lastDesiredStatus\": {\"code\": 200}");
        reports("gw3", false, "\"lastDesiredStatus\": {\"code\": 200}");
        reports("gw4", true, "\"lastDesiredStatus\": {\"code\": 400, \"description\": \"400 bad module\"}");

        DeploymentStatus s = view.status(d);
        assertThat(s.targeted()).containsExactly("gw1", "gw2", "gw3");
        // Applied to gw4 before its condition changed: it still runs it, and says how.
        assertThat(s.applied()).containsExactly("gw1", "gw2", "gw3", "gw4");
        assertThat(s.succeeded()).containsExactly("gw1");
        assertThat(s.failed()).containsOnly(Map.entry("gw2", "the hub could not set x: too big"),
                Map.entry("gw4", "400 bad module"));
        assertThat(s.pending()).containsExactly("gw3");
    }

    @Test
    void aLayerCountsAsAppliedWhereItIsOneOfTheLayers() {
        HubDeployment l = parse(layer("extra", 5, "tags.env = 'prod'", "probe", "{}"));
        applied("gw1", "prod", List.of("extra"), null);
        applied("gw2", "prod", List.of(), null);
        assertThat(view.status(l).applied()).containsExactly("gw1");
        assertThat(view.status(l).targeted()).containsExactly("gw1", "gw2", "gw3", "gw4");
    }

    @Test
    void statusesComeHighestPriorityFirstThenById() {
        List<DeploymentStatus> all = view.statuses(List.of(parse(base("b", 1, "deviceId = 'gw1'", "m")),
                parse(base("c", 9, "deviceId = 'gw1'", "m")), parse(base("a", 1, "deviceId = 'gw1'", "m"))));
        assertThat(all).extracting(s -> s.deployment().id()).containsExactly("c", "a", "b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"lastDesiredVersion\": 2, \"lastDesiredStatus\": {\"code\": 200}}                 | <pending>",
            "{\"lastDesiredStatus\": {\"code\": 200}}                                            | <pending>",
            "{\"lastDesiredVersion\": 1, \"lastDesiredStatus\": {\"code\": 200}}                 | ''",
            "{\"lastDesiredVersion\": 1, \"lastDesiredStatus\": {\"code\": 417, \"description\": \"x fails\"}}"
                    + " | 417 x fails",
            "{\"lastDesiredVersion\": 1, \"lastDesiredStatus\": {\"code\": 417, \"description\": \"417 x fails\"}}"
                    + " | 417 x fails",
            "{\"lastDesiredVersion\": 1}                                                        | 0",
            "{\"lastDesiredVersion\": 1, \"lastDesiredStatus\": {\"code\": 200}, \"modules\": {\"a\":"
                    + " {\"runtimeStatus\": \"failed\", \"statusDescription\": \"exited\"}, \"b\":"
                    + " {\"runtimeStatus\": \"backoff\"},"
                    + " \"c\": {\"runtimeStatus\": \"running\"}}}"
                    + " | module a is failed: exited; module b is backoff"})
    void theOutcomeIsWhatTheAgentReportsForTheDesiredVersion(String reported, String outcome) {
        TwinDocument agent = TwinDocument.empty().patchReported(reported, TwinLimits.IOT_HUB);
        String expected = "<pending>".equals(outcome) ? null : outcome;
        assertThat(DeploymentStatusView.outcome(agent)).isEqualTo(expected);
    }
}
