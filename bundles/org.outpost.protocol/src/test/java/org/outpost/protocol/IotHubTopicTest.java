/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.protocol.IotHubTopic.CloudToDevice;
import org.outpost.protocol.IotHubTopic.DesiredPatch;
import org.outpost.protocol.IotHubTopic.IdentityRequest;
import org.outpost.protocol.IotHubTopic.IdentityResponse;
import org.outpost.protocol.IotHubTopic.MethodCall;
import org.outpost.protocol.IotHubTopic.MethodResponse;
import org.outpost.protocol.IotHubTopic.ModuleInput;
import org.outpost.protocol.IotHubTopic.ReportedPatch;
import org.outpost.protocol.IotHubTopic.TwinGet;
import org.outpost.protocol.IotHubTopic.TwinResponse;

class IotHubTopicTest {

    @Test
    void everyTopicReadsBackAsItWasWritten() {
        for (IotHubTopic t : new IotHubTopic[] {new TwinGet("7"), new ReportedPatch("8"), new TwinResponse(200, "7",
                null), new TwinResponse(204, "8", 12L), new DesiredPatch(5), new MethodCall("reboot", "3f"),
                new MethodResponse(501, "3f"), new CloudToDevice("gw1", Map.of("k", "v w")),
                new IdentityRequest(IdentityRequest.Method.PUT, "filter", "4"),
                new IdentityRequest(IdentityRequest.Method.DELETE, "sensor-1", "5"), new IdentityResponse(403, "5"),
                new ModuleInput("gw1", "filter", "in1", Map.of("$.mid", "a/b"))}) {
            assertThat(IotHubTopic.parse(t.format())).contains(t);
        }
    }

    @Test
    void topicsAreWhatTheIotHubContractSays() {
        assertThat(new TwinGet("1").format()).isEqualTo("$iothub/twin/GET/?$rid=1");
        assertThat(new ReportedPatch("2").format()).isEqualTo("$iothub/twin/PATCH/properties/reported/?$rid=2");
        assertThat(new TwinResponse(204, "2", 9L).format()).isEqualTo("$iothub/twin/res/204/?$rid=2&$version=9");
        assertThat(new DesiredPatch(3).format()).isEqualTo("$iothub/twin/PATCH/properties/desired/?$version=3");
        assertThat(new MethodCall("ping", "a").format()).isEqualTo("$iothub/methods/POST/ping/?$rid=a");
        assertThat(new MethodResponse(200, "a").format()).isEqualTo("$iothub/methods/res/200/?$rid=a");
        assertThat(CloudToDevice.filter("gw1")).isEqualTo("devices/gw1/messages/devicebound/#");
        // What SDKs send: the $rid is URL-encoded like any bag value, and extra keys are allowed.
        assertThat(IotHubTopic.parse("$iothub/twin/GET/?$rid=abc%20d&x=1")).contains(new TwinGet("abc d"));
    }

    @Test
    void aCloudToDeviceTopicCarriesItsSystemPropertiesFirstThenItsApplicationPropertiesInTheOrderGiven() {
        Map<String, String> bag = new java.util.LinkedHashMap<>();
        for (int i = 9; i >= 0; i--) {
            bag.put("k" + i, "v " + i);
        }
        bag.put(PropertyBag.MESSAGE_ID, "m-1");
        String stored = PropertyBag.encode(bag);

        CloudToDevice topic = new CloudToDevice("gw1", PropertyBag.decode(stored));

        assertThat(topic.format()).isEqualTo("devices/gw1/messages/devicebound/%24.to=%2Fdevices%2Fgw1%2Fmessages"
                + "%2FdeviceBound&%24.mid=m-1&" + stored.substring(0, stored.indexOf("&%24.mid")));
        assertThatThrownBy(() -> new CloudToDevice("gw1", java.util.Collections.singletonMap("k", null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aModuleInputTopicNamesTheInputAndCarriesTheBagInOrder() {
        Map<String, String> bag = new java.util.LinkedHashMap<>();
        bag.put(PropertyBag.MESSAGE_ID, "m 1");
        bag.put("z", "1");
        bag.put("a", "2");

        assertThat(new ModuleInput("gw1", "filter", "in1", bag).format()).isEqualTo(
                "devices/gw1/modules/filter/inputs/in1/%24.mid=m%201&z=1&a=2");
        assertThat(ModuleInput.filter("gw1", "filter")).isEqualTo("devices/gw1/modules/filter/inputs/#");
        assertThat(IotHubTopic.parse("devices/gw1/modules/filter/inputs/in1/")).contains(new ModuleInput("gw1",
                "filter", "in1", Map.of()));
        assertThat(IotHubTopic.parse("devices/gw1/modules/filter/messages/events/")).isEmpty();
        assertThat(IotHubTopic.parse("devices/gw1/modules/filter/inputs/")).isEmpty();
    }

    @Test
    void otherTopicsAreNotTheirsAndMalformedOnesSayWhy() {
        assertThat(IotHubTopic.parse("devices/gw1/messages/events/")).isEmpty();
        assertThat(IotHubTopic.parse("$iothub/other/thing")).isEmpty();
        assertThatThrownBy(() -> IotHubTopic.parse("$iothub/twin/GET/")).hasMessageContaining("has no $rid");
        assertThatThrownBy(() -> IotHubTopic.parse("$iothub/twin/res/ok/?$rid=1")).hasMessageContaining(
                "status 'ok' is not a number");
        assertThatThrownBy(() -> IotHubTopic.parse("$iothub/twin/PATCH/properties/desired/")).hasMessageContaining(
                "$version 'null' is not a number");
    }

    @Test
    void identityTopicsAreOutpostsExtension() {
        assertThat(IotHubTopic.IDENTITY_RESPONSES).isEqualTo("$outpost/identities/res/#");
        assertThat(new IdentityRequest(IdentityRequest.Method.PUT, "filter", "1").format()).isEqualTo(
                "$outpost/identities/modules/PUT/filter/?$rid=1");
        assertThat(new IdentityRequest(IdentityRequest.Method.DELETE, "filter", "2").format()).isEqualTo(
                "$outpost/identities/modules/DELETE/filter/?$rid=2");
        assertThat(new IdentityResponse(200, "1").format()).isEqualTo("$outpost/identities/res/200/?$rid=1");
        assertThat(IotHubTopic.parse("$outpost/other/thing")).isEmpty();
    }

    @Test
    void malformedIdentityTopicsSayWhyAndKeepTheirRequestIdWhenTheyHaveOne() {
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/modules/GET/m/?$rid=1")).hasMessage(
                "topic '$outpost/identities/modules/GET/m/?$rid=1': 'GET' is not an identity request method (PUT or"
                        + " DELETE)");
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/modules/PUT//?$rid=1")).hasMessageContaining(
                "is not an identity request: publish to $outpost/identities/modules/PUT/<moduleId>/?$rid=<id>");
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/modules/PUT/m+1/?$rid=1"))
                .hasMessageContaining("module id 'm+1' is empty or has a '/', '?', '#' or '+'");
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/modules/PUT/m")).hasMessageContaining(
                "has no $rid");
        assertThatThrownBy(() -> IotHubTopic.parse("$outpost/identities/res/ok/?$rid=1")).hasMessageContaining(
                "status 'ok' is not a number");
        assertThat(IotHubTopic.requestId("$outpost/identities/modules/GET/m/?$rid=7")).contains("7");
        assertThat(IotHubTopic.requestId("$outpost/identities/modules/GET/m/?x=1")).isEmpty();
        assertThat(IotHubTopic.requestId("$outpost/identities/modules/PUT/m")).isEmpty();
    }
}
