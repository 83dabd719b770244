/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.manifest.Planner.Action;
import org.outpost.manifest.Planner.Step;

class PlannerTest {

    private final ManifestParser parser = new ManifestParser(ManifestParserTest.POLICY);

    private DeploymentManifest manifest(String modules) throws ManifestException {
        return parser.parse("{\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"modules\": {" + modules + "}}}}}");
    }

    private static String bundle(String name, String version, String extra) {
        return "\"" + name + "\": {\"type\": \"bundle\", \"version\": \"" + version + "\", \"settings\": {\"location\":"
                + " \"mvn:org.acme.edge/" + name + "/" + version + "\"}" + extra + "}";
    }

    @Test
    void aFirstDeploymentInstallsEverythingInStartupOrder() throws Exception {
        DeploymentManifest m = manifest(bundle("b", "1.0", ", \"startupOrder\": 2") + ", "
                + bundle("a", "1.0", ", \"startupOrder\": 1") + ", " + bundle("c", "1.0", ", \"status\": \"stopped\""));
        assertThat(Planner.plan(Map.of(), m)).extracting(Step::action, Step::module).containsExactly(
                tuple(Action.INSTALL, "a"), tuple(Action.INSTALL, "b"), tuple(Action.INSTALL, "c"));
        assertThat(Planner.plan(Map.of(), m).get(2).reason()).contains("left stopped");
    }

    @Test
    void onlyWhatChangedIsTouched() throws Exception {
        DeploymentManifest before = manifest(bundle("a", "1.0", ", \"startupOrder\": 1") + ", "
                + bundle("b", "1.0", ", \"startupOrder\": 2") + ", " + bundle("c", "1.0", "") + ", "
                + bundle("gone", "1.0", ", \"startupOrder\": 0") + ", " + bundle("gone2", "1.0", ", \"startupOrder\": 5"));
        DeploymentManifest after = manifest(bundle("a", "1.0", ", \"startupOrder\": 1, \"restartPolicy\": \"never\"")
                + ", " + bundle("b", "2.0", ", \"startupOrder\": 2") + ", "
                + bundle("c", "1.0", ", \"status\": \"stopped\"") + ", " + bundle("new", "1.0", ""));

        assertThat(Planner.plan(before.modules(), after)).extracting(Step::action, Step::module, Step::reason)
                .containsExactly(
                        tuple(Action.REMOVE, "gone2", "not in the deployment"),
                        tuple(Action.REMOVE, "gone", "not in the deployment"),
                        tuple(Action.KEEP, "a", "unchanged"),
                        tuple(Action.UPDATE, "b", "version 1.0 -> 2.0, location mvn:org.acme.edge/b/2.0"),
                        tuple(Action.STOP, "c", "status running -> stopped"),
                        tuple(Action.INSTALL, "new", "new bundle module"));
    }

    @Test
    void theSameDeploymentAgainChangesNothing() throws Exception {
        DeploymentManifest m = manifest(bundle("a", "1.0", "") + ", " + bundle("b", "1.0", ""));
        assertThat(Planner.plan(m.modules(), m)).extracting(Step::action).containsOnly(Action.KEEP);
    }
}
