/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.DeviceScope;

/** The scope on a real file system: sealed, owner-only, kept across restarts, and refused when tampered with. */
class StoredChildScopeTest {

    private static final String LEAF_KEY = Base64.getEncoder().encodeToString("leaf-key-0123456789abcdef0123456"
            .getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    private ScopeFile file() {
        return new ScopeFile(dir.resolve("data/outpost/downstream/scope.sealed"), dir.resolve(
                "etc/outpost-secrets/device-scope.key"), new SecureRandom());
    }

    private StoredChildScope scope() {
        return new StoredChildScope(file(), () -> Optional.of("gw"));
    }

    private static DeviceScope scope(long version, boolean leafEnabled) {
        return new DeviceScope("gw", version, List.of(new DeviceScope.Device("leaf", "gw", leafEnabled, false,
                LEAF_KEY, null, null, null, List.of())));
    }

    @Test
    void aStoredScopeIsThereAfterARestartAndSealedOnDisk() throws Exception {
        scope().replace(scope(3, true));

        StoredChildScope restarted = scope();

        assertThat(restarted.current()).contains(scope(3, true));
        String onDisk = Files.readString(file().file());
        assertThat(onDisk).startsWith(ScopeFile.MAGIC).doesNotContain(LEAF_KEY).doesNotContain("leaf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().file()))).isEqualTo(
                "rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().keyFile()))).isEqualTo(
                "rw-------");
    }

    @Test
    void aScopeNotNewerIsIgnoredAndListenersHearOnlyNewerOnes() throws Exception {
        StoredChildScope scope = scope();
        List<Long> heard = new CopyOnWriteArrayList<>();
        AutoCloseable sub = scope.onChange(s -> heard.add(s.version()));
        scope.replace(scope(5, true));
        scope.replace(scope(5, false));
        scope.replace(scope(4, false));
        scope.replace(scope(6, false));
        sub.close();
        scope.replace(scope(7, true));

        assertThat(heard).containsExactly(5L, 6L);
        assertThat(scope.current()).contains(scope(7, true));
        assertThat(scope().current()).contains(scope(7, true));
    }

    @Test
    void aTamperedFileIsRefusedWithAClearErrorAndTheGatewayRunsWithNoScope() throws Exception {
        scope().replace(scope(3, true));
        byte[] bytes = Files.readAllBytes(file().file());
        bytes[ScopeFile.MAGIC.length() + 20] = (byte) (bytes[ScopeFile.MAGIC.length() + 20] == 'A' ? 'B' : 'A');
        Files.write(file().file(), bytes);

        assertThatThrownBy(() -> file().load()).hasMessageContaining("scope.sealed is refused").hasMessageContaining(
                "it was changed, or sealed under another key").hasMessageNotContaining(LEAF_KEY);
        StoredChildScope restarted = scope();
        assertThat(restarted.current()).isEmpty();

        // The hub's next scope replaces it.
        restarted.replace(scope(1, true));
        assertThat(scope().current()).contains(scope(1, true));
    }

    @Test
    void aScopeSealedUnderAnotherKeyDoesNotOpen() throws Exception {
        scope().replace(scope(3, true));
        Files.delete(file().keyFile());
        assertThatThrownBy(() -> file().load()).hasMessageContaining("its key file").hasMessageContaining("missing");

        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.writeString(file().keyFile(), Base64.getEncoder().encodeToString(other));
        Files.setPosixFilePermissions(file().keyFile(), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> file().load()).hasMessageContaining("sealed under another key");
        assertThat(scope().current()).isEmpty();
    }

    @Test
    void aKeyFileOpenToOthersIsRefused() throws Exception {
        scope().replace(scope(3, true));
        Files.setPosixFilePermissions(file().keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> file().load()).hasMessageContaining("chmod 600");
        assertThat(scope().current()).isEmpty();
    }

    @Test
    void anotherGatewaysScopeIsRefused() {
        assertThatThrownBy(() -> scope().replace(new DeviceScope("other", 1, List.of()))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("'other' is not this gateway's ('gw')");
    }

    @Test
    void noKeyInToString() throws Exception {
        StoredChildScope scope = scope();
        scope.replace(scope(3, true));

        assertThat(scope.toString()).doesNotContain(LEAF_KEY).contains("version 3");
        assertThat(scope(3, true).toString()).doesNotContain(LEAF_KEY);
        assertThat(scope(3, true).devices().get(0).toString()).doesNotContain(LEAF_KEY);
    }
}
