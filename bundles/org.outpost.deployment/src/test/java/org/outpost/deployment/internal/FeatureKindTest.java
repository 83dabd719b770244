/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.deployment;
import static org.outpost.deployment.internal.Specs.running;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class FeatureKindTest {

    @TempDir
    Path data;

    private FeatureKind kind;
    /** The features installed, as "name/version" or "name". */
    private final Set<String> karaf = new HashSet<>();
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void kind() {
        kind = new FeatureKind(null, null, new Installed(data.resolve("installed-features")), new Downloads(
                data.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    private FeaturesService features() {
        return Specs.stub(FeaturesService.class, (method, args) -> switch (method) {
            case "getFeature" -> Specs.stub(Feature.class, (m, a) -> switch (m) {
                case "getName" -> args[0];
                case "getVersion" -> args[1];
                default -> throw new UnsupportedOperationException(m);
            });
            case "isInstalled" -> karaf.contains(id(((Feature) args[0]).getName(), ((Feature) args[0]).getVersion()));
            case "installFeatures" -> {
                calls.add("simulate " + args[0]);
                yield null;
            }
            case "installFeature" -> {
                calls.add("install " + args[0]);
                karaf.add((String) args[0]);
                yield null;
            }
            case "uninstallFeature" -> {
                calls.add("uninstall " + id((String) args[0], (String) args[1]));
                karaf.remove(id((String) args[0], (String) args[1]));
                yield null;
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static String id(String name, String version) {
        return version == null ? name : name + "/" + version;
    }

    private static ModuleSpec feature(String name, String feature) {
        ModuleSpec s = running(name, ModuleType.FEATURE);
        return new ModuleSpec(s.name(), s.type(), s.declaredType(), s.version(), s.status(), s.restartPolicy(), 0,
                s.env(), null, feature, null, List.of(), null, null, s.configPid(), null);
    }

    @Test
    void aDeploymentNamingAFeatureTheGatewayHasAlreadyIsRefusedAndRemovingItLeavesItInstalled() throws Exception {
        karaf.add("outpost");
        kind.bindFeatures(features());
        ModuleSpec typo = feature("broker", "outpost");
        UndoLog undo = new UndoLog();

        assertThat(kind.prepare(List.of(typo), deployment(null, typo), undo)).isEqualTo("400 modulesContent"
                + ".$edgeAgent.properties.desired.modules.broker.settings.feature: feature outpost is installed, but"
                + " not by a deployment, and a deployment touches only features it installed: name a feature of the"
                + " module's own");
        assertThatThrownBy(() -> kind.install(typo)).hasMessageContaining("but not by a deployment");
        kind.remove(typo);

        assertThat(karaf).containsExactly("outpost");
        assertThat(calls).isEmpty();
    }

    @Test
    void aFeatureItInstalledItRemovesAfterARestartAndAFeatureOfTheRunningDeploymentIsTakenAsItsOwn() throws Exception {
        ModuleSpec beat = feature("heartbeat", "acme-beat");
        kind.bindFeatures(features());
        kind.install(beat);

        kind();
        kind.bindFeatures(features());
        assertThat(kind.prepare(List.of(beat), deployment(null, beat), new UndoLog())).isNull();
        kind.remove(beat);
        assertThat(calls).containsExactly("install acme-beat", "simulate [acme-beat]", "uninstall acme-beat");

        karaf.add("acme-old");
        ModuleSpec old = feature("old", "acme-old");
        assertThat(kind.resume(old)).isFalse();
        kind.remove(old);
        assertThat(karaf).isEmpty();
    }

    @Test
    void withoutKarafsFeatureServiceAFeatureDeploymentIsRefused() throws Exception {
        ModuleSpec sensor = running("sensor", ModuleType.FEATURE);
        UndoLog undo = new UndoLog();

        assertThat(kind.prepare(List.of(sensor), deployment(null, sensor), undo)).isEqualTo("400 modulesContent"
                + ".$edgeAgent.properties.desired.modules.sensor: feature modules need Karaf's feature service,"
                + " which is not running");
        assertThat(undo.isEmpty()).isTrue();
        assertThatThrownBy(() -> kind.install(sensor)).hasMessage("Karaf's feature service is not running");
    }

    @Test
    void featureModulesCannotBeStoppedAndStartedYet() {
        assertThatThrownBy(() -> kind.setRunning(running("sensor", ModuleType.FEATURE), false))
                .hasMessage("module sensor: only bundle modules can be stopped and started yet");
    }

    @Test
    void aFeatureIsNamedWithItsVersionWhenTheManifestGivesOne() {
        ModuleSpec s = running("sensor", ModuleType.FEATURE);
        ModuleSpec versioned = new ModuleSpec(s.name(), s.type(), s.declaredType(), s.version(), s.status(),
                s.restartPolicy(), 0, s.env(), null, "acme-sensor", "1.2.0", List.of(), null, null, s.configPid(),
                null);

        assertThat(FeatureKind.featureId(s)).isEqualTo("acme-sensor");
        assertThat(FeatureKind.featureId(versioned)).isEqualTo("acme-sensor/1.2.0");
    }
}
