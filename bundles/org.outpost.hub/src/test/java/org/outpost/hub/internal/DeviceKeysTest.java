/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.hub.storage.internal.Database;

class DeviceKeysTest {

    @TempDir
    Path dir;

    private Database db;
    private DeviceRepository repository;
    private DeviceKeys keys;

    @BeforeEach
    void open() {
        db = new Database(Database.Settings.embedded(dir));
        repository = new DeviceRepository(db, Boxes.BOX);
        keys = new DeviceKeys(repository);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String register(String id) {
        String key = keys.newKey();
        repository.insert(id, Instant.now(), keys.hash(key), null);
        return key;
    }

    private static DeviceRepository.Row row(DeviceKeys.Hashed primary, String secondary) {
        return new DeviceRepository.Row("gw", Instant.EPOCH, primary.salt(), primary.hash(), Boxes.BOX.seal(primary
                .key(), DeviceRepository.primaryContext("gw")), null, Boxes.BOX.seal(secondary, DeviceRepository
                        .secondaryContext("gw")), false, null, 0, null);
    }

    @Test
    void newKeysAreRandomThirtyTwoBytesInUrlSafeBase64() {
        String a = keys.newKey();
        assertThat(Base64.getUrlDecoder().decode(a)).hasSize(32);
        assertThat(a).doesNotContain("=", "+", "/");
        assertThat(keys.newKey()).isNotEqualTo(a);
    }

    @Test
    void aHashedKeyMatchesItselfAndTheSecondaryButNothingElse() {
        DeviceKeys.Hashed primary = keys.hash("primary-key");
        assertThat(primary.hash()).isNotEqualTo("primary-key".getBytes());
        DeviceRepository.Row row = row(primary, "secondary-key");
        assertThat(keys.matches(row, "primary-key")).isTrue();
        assertThat(keys.matches(row, "secondary-key")).isTrue();
        assertThat(keys.matches(row, "primary-keyx")).isFalse();
        assertThat(keys.matches(row(primary, null), "secondary-key")).isFalse();
    }

    @Test
    void theSameKeyHashesDifferentlyUnderEachSalt() {
        DeviceKeys.Hashed one = keys.hash("k");
        DeviceKeys.Hashed two = keys.hash("k");
        assertThat(one.salt()).isNotEqualTo(two.salt());
        assertThat(one.hash()).isNotEqualTo(two.hash());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "c2hvcnQ=                 | at: 5 bytes; a key has 16 to 64 (as IoT Hub's)",
            "not base64!              | at: not Base64 (Illegal base64 character 20)",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
                    + " | at: 68 bytes; a key has 16 to 64 (as IoT Hub's)"})
    void aGivenKeyMustBeBase64OfSixteenToSixtyFourBytes(String key, String error) {
        assertThatThrownBy(() -> DeviceKeys.checkGiven(key, "at")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(error);
    }

    @ParameterizedTest
    @CsvSource({"AAAAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAAA", "-_-_-_-_-_-_-_-_-_-_-_-_"})
    void aGivenKeyInEitherBase64AlphabetIsKeptAsGiven(String key) {
        assertThat(DeviceKeys.checkGiven(key, "at")).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"
                    + " | ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
                    + " | ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"})
    void aThumbprintIsUpperCaseHexWithoutColons(String given, String normalised) {
        assertThat(DeviceKeys.normaliseThumbprint(given)).isEqualTo(normalised);
    }

    @ParameterizedTest
    @CsvSource({"not-hex", "ABCD", "GG00000000000000000000000000000000000000000000000000000000000000",
        "ABCDEF0123456789ABCDEF0123456789ABCDEF01"})
    void aThumbprintOfTheWrongLengthOrDigitsOrASha1OneIsRefused(String given) {
        assertThatThrownBy(() -> DeviceKeys.normaliseThumbprint(given)).hasMessageStartingWith("'" + given
                + "' is not a SHA-256 certificate thumbprint").hasMessageContaining("SHA-1 is not accepted");
    }

    @Test
    void noThumbprintStaysNone() {
        assertThat(DeviceKeys.normaliseThumbprint(null)).isNull();
    }

    @Test
    void rotatingThePrimaryRevokesItAndKeepsTheSecondary() {
        String first = register("gw");
        String secondary = keys.rotate("gw", true);
        assertThat(keys.verify("gw", first)).isTrue();
        assertThat(keys.verify("gw", secondary)).isTrue();

        String second = keys.rotate("gw", false);
        assertThat(keys.verify("gw", first)).isFalse();
        assertThat(keys.verify("gw", second)).isTrue();
        assertThat(keys.verify("gw", secondary)).isTrue();
        assertThat(keys.key("gw")).contains(second);
        assertThat(keys.secondaryKey("gw")).contains(secondary);
    }

    @Test
    void noKeyAndUnknownDevicesNeverVerify() {
        register("gw");
        assertThat(keys.verify("gw", null)).isFalse();
        assertThat(keys.verify("nobody", "anything")).isFalse();
        assertThat(keys.key("nobody")).isEmpty();
        assertThat(keys.secondaryKey("gw")).isEmpty();
    }

    @Test
    void aThumbprintIsStoredNormalisedAndRemovedWithNull() {
        register("cam");
        keys.setThumbprint("cam", "ab".repeat(32));
        assertThat(keys.thumbprint("cam")).contains("AB".repeat(32));
        keys.setThumbprint("cam", null);
        assertThat(keys.thumbprint("cam")).isEmpty();
    }

    @Test
    void anUnknownDeviceHasNoKeyToRotateNorThumbprintToSet() {
        assertThatThrownBy(() -> keys.rotate("none", false)).hasMessage("no device 'none'");
        assertThatThrownBy(() -> keys.rotate("none", true)).hasMessage("no device 'none'");
        assertThatThrownBy(() -> keys.setThumbprint("none", "AB".repeat(32))).hasMessage("no device 'none'");
        assertThatThrownBy(() -> keys.setSecondaryThumbprint("none", "AB".repeat(32))).hasMessage(
                "no device 'none'");
        // A bad thumbprint is refused before the device is looked for.
        assertThatThrownBy(() -> keys.setThumbprint("none", "bad")).hasMessageStartingWith("'bad' is not");
    }
}
