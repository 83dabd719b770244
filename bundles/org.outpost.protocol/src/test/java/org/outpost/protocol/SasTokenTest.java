/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class SasTokenTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtZGV2aWNlLTAxMjM0NTY3OA==";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void aTokenSignsTheEncodedResourceAndExpiry() {
        String token = SasToken.create("hub.example/devices/gw1", KEY, NOW.plusSeconds(3600));
        assertThat(token).startsWith("SharedAccessSignature sr=hub.example%2Fdevices%2Fgw1&sig=").endsWith("&se="
                + NOW.plusSeconds(3600).getEpochSecond());
        SasToken t = SasToken.parse(token);
        assertThat(t.resource()).isEqualTo("hub.example/devices/gw1");
        assertThat(t.expiry()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(t.check("hub.example/devices/gw1", KEY, NOW)).isEqualTo(SasToken.Check.VALID);
        // The host part may differ from what the hub calls itself; the device may not.
        assertThat(t.check("devices/gw1", KEY, NOW)).isEqualTo(SasToken.Check.VALID);
        assertThat(t.check("devices/gw2", KEY, NOW)).isEqualTo(SasToken.Check.WRONG_RESOURCE);
    }

    @Test
    void aKnownIotHubSignatureVerifies() {
        // Computed with openssl, not with this code: printf 'hub.example%%2Fdevices%%2Fgw1\n1900000000' |
        //   openssl dgst -sha256 -mac HMAC -macopt hexkey:<KEY decoded, as hex> -binary | base64
        String sig = "ndAPKhQkIXQiQSMy2qcOKt6ta821KTHKxqQGBoqErT0=";
        String token = "SharedAccessSignature sr=hub.example%2Fdevices%2Fgw1&sig="
                + java.net.URLEncoder.encode(sig, java.nio.charset.StandardCharsets.UTF_8) + "&se=1900000000";
        assertThat(SasToken.parse(token).check("hub.example/devices/gw1", KEY, NOW)).isEqualTo(SasToken.Check.VALID);
        assertThat(SasToken.create("hub.example/devices/gw1", KEY, Instant.ofEpochSecond(1_900_000_000L)))
                .isEqualTo(token);
    }

    @Test
    void expiredForgedOrOtherKeyTokensAreRefused() {
        String token = SasToken.create("hub.example/devices/gw1", KEY, NOW.plusSeconds(60));
        SasToken t = SasToken.parse(token);
        assertThat(t.check("hub.example/devices/gw1", KEY, NOW.plusSeconds(60))).isEqualTo(SasToken.Check.EXPIRED);
        assertThat(t.check("hub.example/devices/gw1", "b3RoZXIta2V5", NOW)).isEqualTo(SasToken.Check.BAD_SIGNATURE);
        // Moving the expiry breaks the signature.
        SasToken later = SasToken.parse(token.replaceAll("se=\\d+", "se=" + NOW.plusSeconds(86_400).getEpochSecond()));
        assertThat(later.check("hub.example/devices/gw1", KEY, NOW)).isEqualTo(SasToken.Check.BAD_SIGNATURE);
    }

    @Test
    void urlSafeKeysWithoutPaddingWorkToo() {
        String urlSafe = "q-_w8A0xvXXxQ2B1hm9D4g";
        String token = SasToken.create("h/devices/d", urlSafe, NOW.plusSeconds(60));
        assertThat(SasToken.parse(token).check("h/devices/d", urlSafe, NOW)).isEqualTo(SasToken.Check.VALID);
    }

    @Test
    void malformedTokensSayWhatIsWrong() {
        assertThatThrownBy(() -> SasToken.parse("Bearer abc")).hasMessageContaining("not a shared access signature");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&se=1")).hasMessageContaining(
                "has no 'sig'");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&sig=b&se=soon")).hasMessageContaining(
                "se='soon' is not UNIX seconds");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&sig")).hasMessageContaining(
                "'sig' is not key=value");
    }

    @Test
    void anExpiryBeyondAnyDateOrTooLongForALongIsRefusedAsMalformedNotThrownPast() {
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&sig=b&se=9000000000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shared access signature expiry"
                        + " se=9000000000000000000 is out of range (0 to 253402300799 UNIX seconds)");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&sig=b&se=" + "9".repeat(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shared access signature expiry se='"
                        + "9".repeat(24) + "...' is not UNIX seconds");
        assertThatThrownBy(() -> SasToken.parse("SharedAccessSignature sr=a&sig=b&se=-5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThat(SasToken.parse("SharedAccessSignature sr=a&sig=b&se=253402300799").expiry().getEpochSecond())
                .isEqualTo(253_402_300_799L);
    }

    @Test
    void aTokenNamesTheDeviceOfADeviceResourceOnly() {
        Instant later = Instant.parse("2030-01-01T00:00:00Z");
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(SasToken.parse(SasToken.create("hub.example/devices/gw1", key, later)).device()).contains("gw1");
        assertThat(SasToken.parse(SasToken.create("devices/gw1", key, later)).device()).contains("gw1");
        assertThat(SasToken.parse(SasToken.create("hub.example/devices/gw1/modules/m", key, later)).device())
                .isEmpty();
        assertThat(SasToken.parse(SasToken.create("hub.example/devices/", key, later)).device()).isEmpty();
        assertThat(SasToken.parse(SasToken.create("hub.example/things/gw1", key, later)).device()).isEmpty();
    }

    @Test
    void scopeTopicsAreIdentityTopics() {
        assertThat(IotHubTopic.parse("$outpost/identities/scope/GET/?$rid=7")).contains(new IotHubTopic.ScopeRequest(
                "7"));
        assertThat(IotHubTopic.parse(new IotHubTopic.ScopeChanged(12).format())).contains(new IotHubTopic
                .ScopeChanged(12));
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/scope/GET/")).hasMessageContaining("$rid");
    }

    @Test
    void aScopeKeepsItsDevicesAndKnowsWhoIsBelowWhom() {
        DeviceScope scope = new DeviceScope("top", 3, java.util.List.of(
                new DeviceScope.Device("mid", "top", true, true, "a2V5", null, null, null, java.util.List.of(
                        new DeviceScope.Module("filter", "bW9k", null))),
                new DeviceScope.Device("leaf", "mid", false, false, null, null, "AB", null, java.util.List.of())));
        DeviceScope back = DeviceScope.parse(scope.toJson());
        assertThat(back).isEqualTo(scope);
        assertThat(back.isBelow("leaf", "top")).isTrue();
        assertThat(back.isBelow("leaf", "mid")).isTrue();
        assertThat(back.isBelow("mid", "leaf")).isFalse();
        assertThat(back.isBelow("top", "top")).isFalse();
        assertThat(back.below("mid").devices()).extracting(DeviceScope.Device::deviceId).containsExactly("leaf");
        assertThat(back.toString()).doesNotContain("a2V5");
        assertThatThrownBy(() -> DeviceScope.parse("{\"deviceId\":\"g\",\"version\":1,\"devices\":[{\"deviceId\":3}]}"))
                .hasMessageContaining("$.devices[0].deviceId is not a string");
    }

    @Test
    void aCloudToDeviceTopicPutsItsSystemPropertiesFirstAsTheAzureSdksReadThemFromTheFirstDollar() {
        java.util.Map<String, String> bag = new java.util.LinkedHashMap<>();
        bag.put("kind", "command");
        bag.put("$.mid", "m1");
        assertThat(new IotHubTopic.CloudToDevice("leaf", bag).format()).isEqualTo(
                "devices/leaf/messages/devicebound/%24.to=%2Fdevices%2Fleaf%2Fmessages%2FdeviceBound&%24.mid=m1"
                        + "&kind=command");
        IotHubTopic.CloudToDevice back = (IotHubTopic.CloudToDevice) IotHubTopic.parse(new IotHubTopic.CloudToDevice(
                "leaf", bag).format()).orElseThrow();
        assertThat(back.properties()).containsEntry("kind", "command").containsEntry("$.mid", "m1");
    }
}
