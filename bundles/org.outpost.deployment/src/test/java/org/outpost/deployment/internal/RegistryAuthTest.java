/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.manifest.RegistryCredential;

class RegistryAuthTest {

    @TempDir
    Path dir;

    private static Map<String, RegistryCredential> acr(String password) {
        return Map.of("acr", new RegistryCredential("acr", "acr.example.io", "robot", password));
    }

    @Test
    void changedCredentialsReplaceTheFileAndTheUndoPutsBackWhatWasThere() throws Exception {
        RegistryAuth auth = new RegistryAuth(dir.resolve("registry"));
        auth.update(acr("one"), new UndoLog());
        String first = Files.readString(auth.file());

        UndoLog undo = new UndoLog();
        auth.update(acr("two"), undo);
        assertThat(Files.readString(auth.file())).isNotEqualTo(first);

        undo.rollBack();
        assertThat(Files.readString(auth.file())).isEqualTo(first);
    }

    @Test
    void theSameCredentialsChangeNothingAndNoneDeleteTheFile() throws Exception {
        RegistryAuth auth = new RegistryAuth(dir.resolve("registry"));
        auth.update(acr("one"), new UndoLog());

        UndoLog same = new UndoLog();
        auth.update(acr("one"), same);
        assertThat(same.isEmpty()).isTrue();

        UndoLog none = new UndoLog();
        auth.update(Map.of(), none);
        assertThat(auth.file()).doesNotExist();
        assertThat(auth.pullCommand("/usr/bin/podman", "acme/x:1")).containsExactly("/usr/bin/podman", "pull",
                "--", "acme/x:1");
        none.rollBack();
        assertThat(auth.file()).exists();
    }

    @Test
    void theEngineIsGivenThePathOfTheCredentialsNeverThemselves() throws Exception {
        RegistryAuth auth = new RegistryAuth(dir.resolve("registry"));
        auth.update(acr("s3cret"), new UndoLog());

        assertThat(auth.pullCommand("/usr/bin/podman", "acme/x:1")).containsExactly("/usr/bin/podman", "pull",
                "--authfile", auth.file().toString(), "--", "acme/x:1");
        assertThat(auth.pullCommand("/usr/local/bin/docker", "acme/x:1")).containsExactly("/usr/local/bin/docker",
                "--config", dir.resolve("registry").toString(), "pull", "--", "acme/x:1");
        assertThat(String.join(" ", auth.pullCommand("podman", "acme/x:1"))).doesNotContain("s3cret");
        assertThat(List.of(Files.readString(auth.file()))).noneMatch(s -> s.contains("s3cret"));
    }
}
