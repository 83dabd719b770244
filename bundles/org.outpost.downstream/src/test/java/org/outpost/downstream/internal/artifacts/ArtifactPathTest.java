/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactPathTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "org/outpost/sensor/1.0.0/sensor-1.0.0.jar|org.outpost|sensor|1.0.0|-|jar|-|mvn:org.outpost/sensor/1.0.0/jar",
        "org/outpost/sensor/1.0.0/sensor-1.0.0.jar.sha1|org.outpost|sensor|1.0.0|-|jar|sha1|mvn:org.outpost/sensor/1.0.0/jar",
        "org/outpost/features/2.1/features-2.1-features.xml|org.outpost|features|2.1|features|xml|-|mvn:org.outpost/features/2.1/xml/features",
        "io/x/dist/1.0/dist-1.0.tar.gz|io.x|dist|1.0|-|tar.gz|-|mvn:io.x/dist/1.0/tar.gz",
        "a/b/1.0-SNAPSHOT/b-1.0-20260101.120000-3.jar|a|b|1.0-20260101.120000-3|-|jar|-|mvn:a/b/1.0-20260101.120000-3/jar",
        "a/b/1.0-SNAPSHOT/b-1.0-SNAPSHOT-tests.jar|a|b|1.0-SNAPSHOT|tests|jar|-|mvn:a/b/1.0-SNAPSHOT/jar/tests"
    })
    void aRepositoryPathNamesItsArtifact(String path, String group, String artifact, String fileVersion,
            String classifier, String extension, String checksum, String mvn) {
        ArtifactPath p = ArtifactPath.parse(path).path().orElseThrow();

        assertThat(p.groupId()).isEqualTo(group);
        assertThat(p.artifactId()).isEqualTo(artifact);
        assertThat(p.fileVersion()).isEqualTo(fileVersion);
        assertThat(p.classifier()).isEqualTo(classifier);
        assertThat(p.extension()).isEqualTo(extension);
        assertThat(p.checksum()).isEqualTo(checksum);
        assertThat(p.mvnUrl()).isEqualTo(mvn);
        assertThat(p.relative()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "org/outpost/sensor/maven-metadata.xml|org.outpost|sensor",
        "org/outpost/sensor/1.0-SNAPSHOT/maven-metadata.xml.sha1|org.outpost|sensor"
    })
    void metadataIsNamedByItsGroupAndArtifact(String path, String group, String artifact) {
        ArtifactPath p = ArtifactPath.parse(path).path().orElseThrow();

        assertThat(p.isMetadata()).isTrue();
        assertThat(p.groupId()).isEqualTo(group);
        assertThat(p.artifactId()).isEqualTo(artifact);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "../etc/passwd|path segment '..' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "org/../../etc/x-1.jar|path segment '..' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "org/./a/1/a-1.jar|path segment '.' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "org//a/1/a-1.jar|path segment '' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "org\\a/1/a-1.jar|path segment 'org\\a' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "/etc/passwd|path segment '' is not a plain file or folder name (letters, digits, . _ - + ~; not . or ..)",
        "a/1/a-1.jar|'a/1/a-1.jar' is not <group>/<artifact>/<version>/<file>",
        "org/a/1.0/b-1.0.jar|file 'b-1.0.jar' does not belong to artifact 'a'",
        "org/a/1.0/a-2.0.jar|file 'a-2.0.jar' is not of version 1.0",
        "org/a/1.0/a-1.0|file 'a-1.0' has no extension",
        "org/a/1.0/a-1.0-x|file 'a-1.0-x' has no extension after its classifier",
        "|no file named after /artifacts/"
    })
    void aPathThatCouldLeaveTheRepositoriesOrNamesNoArtifactIsRefusedSayingWhy(String path, String why) {
        ArtifactPath.Result r = ArtifactPath.parse(path == null ? "" : path);

        assertThat(r.path()).isEmpty();
        assertThat(r.refusal()).isEqualTo(why);
    }
}
