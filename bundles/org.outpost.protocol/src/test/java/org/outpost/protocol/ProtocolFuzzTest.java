/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes what a device controls in the IoT Hub protocol: property bags (topic suffixes), SAS tokens (MQTT passwords),
 * twin patches (reported properties) and telemetry topics. Each is taken or refused with
 * {@link IllegalArgumentException} (a {@link TwinException} for twins), never another exception; what is taken keeps
 * its promises: a property bag encodes back to the same properties, an accepted twin patch gives a twin within the
 * limits.
 * <p>
 * The input's first byte chooses the target, the rest is its text. The corpus is in
 * {@code src/test/resources/org/outpost/protocol/ProtocolFuzzTestInputs/}; the build fuzzes for the time below.
 */
class ProtocolFuzzTest {

    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtZGV2aWNlLTMyYnl0ZXM=";
    private static final TwinLimits LIMITS = TwinLimits.IOT_HUB;

    @FuzzTest(maxDuration = "10s")
    void deviceInputIsTakenOrRefusedCleanly(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        switch (input[0] & 3) {
            case 0 -> propertyBag(text);
            case 1 -> sasToken(text);
            case 2 -> twinPatch(text);
            default -> telemetryTopic(text);
        }
    }

    private static void propertyBag(String bag) {
        Map<String, String> properties;
        try {
            properties = PropertyBag.decode(bag);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(PropertyBag.decode(PropertyBag.encode(properties))).as("decode(encode(%s))", properties)
                .isEqualTo(properties);
    }

    private static void telemetryTopic(String topic) {
        try {
            TelemetryTopic.parse(topic).ifPresent(t -> assertThat(TelemetryTopic.parse(t.format())).hasValue(t));
        } catch (IllegalArgumentException refused) {
            // A telemetry topic with a malformed property bag.
        }
    }

    private static void sasToken(String token) {
        try {
            SasToken.parse(token).check("outpost-hub.local/devices/d1", KEY, Instant.now());
        } catch (IllegalArgumentException refused) {
            // Refused, saying why.
        }
    }

    private static void twinPatch(String patch) {
        TwinDocument patched;
        try {
            patched = TwinDocument.empty().patchReported(patch, LIMITS);
        } catch (TwinException refused) {
            return;
        }
        // What was taken is within the limits: taken again as a whole, it passes the same checks.
        TwinDocument.empty().replaceDesired(patched.reported(), LIMITS);
    }
}
