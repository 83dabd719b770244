/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static byte[] randomKey() {
        byte[] key = new byte[SecretBox.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private final SecretBox box = new SecretBox(randomKey());

    @Test
    void aSealedSecretOpensToItselfInItsContext() {
        String sealed = box.seal("device-key==", "device/gw/primary");
        assertThat(sealed).startsWith(SecretBox.PREFIX).doesNotContain("device-key");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(box.open(sealed, "device/gw/primary")).isEqualTo("device-key==");
        assertThat(box.seal(null, "device/gw/secondary")).isNull();
        assertThat(box.open(null, "device/gw/secondary")).isNull();
    }

    @Test
    void aTamperedSealedValueIsRefusedNamingTheContextNotTheSecret() {
        String sealed = box.seal("device-key", "device/gw/primary");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(SecretBox.PREFIX.length()));
        for (int i : new int[] {0, SecretBox.NONCE_BYTES, bytes.length - 1}) {
            byte[] changed = bytes.clone();
            changed[i] ^= 1;
            String tampered = SecretBox.PREFIX + Base64.getEncoder().encodeToString(changed);
            assertThatThrownBy(() -> box.open(tampered, "device/gw/primary")).isInstanceOf(
                    IllegalStateException.class).hasMessage("the sealed secret of device/gw/primary does not open"
                            + " with this hub's master key: it was changed, copied from elsewhere, or sealed under"
                            + " another master key");
        }
        assertThatThrownBy(() -> box.open(SecretBox.PREFIX + "AAAA", "device/gw/primary"))
                .hasMessageEndingWith("it is too short");
        assertThatThrownBy(() -> box.open(SecretBox.PREFIX + "not base64!", "device/gw/primary"))
                .hasMessageEndingWith("it is not Base64");
    }

    @Test
    void aSealedValueMovedToAnotherDeviceOrColumnDoesNotOpen() {
        String sealed = box.seal("device-key", "device/gw/primary");
        assertThatThrownBy(() -> box.open(sealed, "device/other/primary")).hasMessageContaining("copied from"
                + " elsewhere");
        assertThatThrownBy(() -> box.open(sealed, "device/gw/secondary")).hasMessageContaining("device/gw/secondary");
    }

    @Test
    void anotherMasterKeyCannotOpenIt() {
        String sealed = box.seal("device-key", "device/gw/primary");
        assertThatThrownBy(() -> new SecretBox(randomKey()).open(sealed, "device/gw/primary"))
                .hasMessageContaining("sealed under another master key");
    }

    @Test
    void aPlaintextValueIsNotTakenForASealedOne() {
        assertThat(SecretBox.isSealed("c2VjcmV0")).isFalse();
        assertThatThrownBy(() -> box.open("c2VjcmV0", "device/gw/primary")).hasMessage("device/gw/primary is stored"
                + " unsealed in the database: the hub seals every key at start, so it was written by something else;"
                + " set a new key (rotate it)");
    }

    @Test
    void everySealHasItsOwnNonceSoTheSameSecretNeverSealsTheSame() {
        Set<String> nonces = new HashSet<>();
        Set<String> sealed = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String s = box.seal("the same key", "device/gw/primary");
            sealed.add(s);
            byte[] bytes = Base64.getDecoder().decode(s.substring(SecretBox.PREFIX.length()));
            nonces.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, SecretBox.NONCE_BYTES)));
        }
        assertThat(nonces).hasSize(20_000);
        assertThat(sealed).hasSize(20_000);
    }

    @Test
    void aMasterKeyOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> new SecretBox(new byte[16])).hasMessage("a master key has 32 bytes, not 16");
    }
}
