/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationPolicyTest {

    private final LocationPolicy policy = new LocationPolicy(Set.of("mvn", "file", "https"),
            List.of(Path.of("/opt/outpost/modules")), List.of("org.outpost", "org.acme."));

    @ParameterizedTest
    @ValueSource(strings = {"mvn:http://elsewhere/repo!org.outpost/x/1",
        "mvn:https://elsewhere/repo@id=evil!org.outpost/x/1",
        "mvn:file:/tmp/repo!org.outpost/x/1", "mvn:!org.outpost/x/1"})
    void aMavenLocationNamingItsOwnRepositoryIsRefusedWhateverItsGroup(String location) {
        assertThat(policy.check(location)).hasValueSatisfying(why -> assertThat(why).contains(
                "may not name its own repository", "etc/org.ops4j.pax.url.mvn.cfg"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvn:org.outpost/x/1@snapshots", "mvn:org.outpost/x/1@id=evil", "mvn:org.outpost/x@multi"})
    void aMavenLocationCarryingRepositoryOptionsIsRefused(String location) {
        assertThat(policy.check(location)).hasValueSatisfying(why -> assertThat(why).contains(
                "may not carry repository options", "etc/org.ops4j.pax.url.mvn.cfg"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvn:org.outpost/x/1?repo=http://elsewhere", "mvn:org.outpost/x/1#frag",
        "mvn:org.outpost/x/1%21", "mvn:org.outpost/x/1/jar/cl/extra", "mvn:org.outpost/x/${evil}"})
    void aMavenLocationWithAnythingButCoordinatesIsNotAMavenLocation(String location) {
        assertThat(policy.check(location)).hasValueSatisfying(why -> assertThat(why).contains(
                "not a Maven location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mvn:org.outpost/heartbeat/1.0.0", "mvn:org.outpost/heartbeat",
        "mvn:org.acme.edge/filter/1.0.0-SNAPSHOT/jar/linux_x86-64", "mvn:org.outpost/x/[1.0,2.0)",
        "mvn:org.acme.edge/edge-modules/1.2.0/xml/features", "mvn:org.outpost/x/LATEST"})
    void mavenCoordinatesOfAnAllowedGroupAreAllowed(String location) {
        assertThat(policy.check(location)).isEmpty();
    }

    @Test
    void aGroupNotAllowedIsRefusedWithTheGroupsThatAre() {
        assertThat(policy.check("mvn:com.evil/x/1")).hasValue("location 'mvn:com.evil/x/1': group 'com.evil' is not"
                + " allowed (allowed: org.outpost, org.acme.)");
    }

    @Test
    void anHttpsLocationComesOnlyFromAnAllowedHost() {
        LocationPolicy hosts = new LocationPolicy(Set.of("https"), List.of(), List.of(), List.of("Repo.Acme.example",
                "*.trusted.example"));

        assertThat(hosts.check("https://repo.acme.example/x.jar")).isEmpty();
        assertThat(hosts.check("https://REPO.acme.example:8443/x.jar")).isEmpty();
        assertThat(hosts.check("https://cdn.trusted.example/f.xml")).isEmpty();
        assertThat(hosts.check("https://trusted.example/f.xml")).hasValueSatisfying(why -> assertThat(why)
                .contains("host 'trusted.example' is not allowed"));
        assertThat(hosts.check("https://eviltrusted.example/f.xml")).isPresent();
        assertThat(hosts.check("https://repo.acme.example.evil.example/x.jar")).isPresent();
        assertThat(hosts.check("https://user:secret@repo.acme.example/x.jar")).hasValueSatisfying(why -> assertThat(
                why).contains("no user or password in a location"));
    }

    @Test
    void withNoAllowedHostNoRemoteLocationIsAllowedAndTheErrorSaysWhatToSet() {
        LocationPolicy none = new LocationPolicy(Set.of("https"), List.of(), List.of(), List.of());

        assertThat(none.check("https://repo.acme.example/x.jar")).hasValue("location"
                + " 'https://repo.acme.example/x.jar': host 'repo.acme.example' is not allowed (allowed: none; add it"
                + " to allowed.hosts in etc/org.outpost.deployment.cfg if modules may come from it)");
    }

    @Test
    void theFormOnlyPolicyAllowsAnyHost() {
        assertThat(new LocationPolicy(Set.of("https"), List.of(), List.of()).check("https://anywhere.example/x.jar"))
                .isEmpty();
    }
}
