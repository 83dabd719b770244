/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/** A gateway's health from its $edgeAgent twin's reported health, and every device's status at once. */
class HealthResourceTest {

    private final FakeHub hub = new FakeHub();
    private final Map<String, TwinDocument> agents = new LinkedHashMap<>();
    private final Map<String, Integer> reads = new LinkedHashMap<>();
    private final Twins twins = Stub.of(Twins.class).countingInto(reads)
            .on("twin", a -> agents.getOrDefault((String) a[0], TwinDocument.empty()))
            .on("twinsOf", a -> {
                Map<String, TwinDocument> out = new LinkedHashMap<>();
                ((Collection<?>) a[0]).forEach(id -> out.put((String) id, agents.getOrDefault((String) id,
                        TwinDocument.empty())));
                return out;
            }).build();

    private void reports(String device, String healthJson) {
        agents.put(device, TwinDocument.empty().patchReported("{\"health\": " + healthJson + "}",
                TwinLimits.IOT_HUB));
    }

    @Test
    void aGatewaysHealthIsWhatItsAgentTwinReportedWithWhetherItIsConnected() {
        hub.add("gw", null);
        hub.devices.put("gw", new Device("gw", Instant.parse("2026-01-01T00:00:00Z"), null, 0, true, 1, false, null));
        reports("gw", "{\"status\": \"warn\", \"ok\": 8, \"warn\": 1, \"critical\": 0, \"failing\": [{\"check\":"
                + " \"clock\", \"result\": \"warn\", \"detail\": \"the clock is 12.000 s behind pool.ntp.org\","
                + " \"action\": \"install an NTP client\"}]}");

        Map<String, Object> h = new DeviceHealthResource(hub.registry(), twins).health("gw");

        assertThat(h).containsEntry("deviceId", "gw").containsEntry("connectionState", "connected")
                .containsEntry("status", "warn").containsEntry("ok", 8L).containsEntry("warn", 1L)
                .containsEntry("critical", 0L).containsEntry("reportedVersion", 2L);
        assertThat(h.get("failing")).isEqualTo(List.of(Map.of("check", "clock", "result", "warn", "detail",
                "the clock is 12.000 s behind pool.ntp.org", "action", "install an NTP client")));
    }

    @Test
    void aDeviceThatNeverReportedIsUnknownAndAnUnregisteredOneA404() {
        hub.add("leaf", null);

        assertThat(new DeviceHealthResource(hub.registry(), twins).health("leaf")).containsEntry("status", "unknown")
                .containsEntry("connectionState", "disconnected").containsEntry("failing", List.of());
        assertThatThrownBy(() -> new DeviceHealthResource(hub.registry(), twins).health("ghost"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void everyDevicesStatusComesFromOneReadOfTheirTwinsAndCanBeLimitedToTheUnhealthy() {
        hub.add("a", null);
        hub.add("b", null);
        hub.add("c", null);
        reports("a", "{\"status\": \"ok\", \"ok\": 9}");
        reports("b", "{\"status\": \"critical\", \"critical\": 1, \"failing\": []}");
        HealthResource fleet = new HealthResource(hub.registry(), twins);

        assertThat(fleet.health(null)).extracting(v -> v.get("deviceId") + " " + v.get("status"))
                .containsExactly("a ok", "b critical", "c unknown");
        assertThat(reads).containsEntry("Twins.twinsOf", 1).doesNotContainKey("Twins.twin");
        assertThat(fleet.health("warn")).extracting(v -> v.get("deviceId")).containsExactly("b");
        assertThat(fleet.health(null).get(0)).doesNotContainKey("failing");
        assertThatThrownBy(() -> fleet.health("bad")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.path()).isEqualTo("atLeast"));
    }
}
