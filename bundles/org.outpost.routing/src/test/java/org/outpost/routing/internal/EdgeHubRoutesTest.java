/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EdgeHubRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECTION = "{\"schemaVersion\": \"1.1\", \"routes\": {"
            + "\"toFilter\": \"FROM /messages/modules/sensor/* INTO BrokeredEndpoint(\\\"/modules/filter/inputs/in1\\\")\","
            + "\"alerts\": {\"route\": \"FROM /messages/modules/filter/* WHERE $body.temp > 30 INTO $upstream\","
            + " \"priority\": 0, \"timeToLiveSecs\": 86400}},"
            + " \"storeAndForwardConfiguration\": {\"timeToLiveSecs\": 7200}}";

    @ParameterizedTest
    @ValueSource(strings = {
        SECTION,
        "{\"properties.desired\": " + SECTION + "}",
        "{\"$edgeHub\": {\"properties.desired\": " + SECTION + "}}",
        "{\"modulesContent\": {\"$edgeAgent\": {}, \"$edgeHub\": {\"properties.desired\": " + SECTION + "}}}"
    })
    void readsTheEdgeHubSectionWhereverItIs(String json) throws Exception {
        assertThat(EdgeHubRoutes.toProperties(JSON.readTree(json))).containsExactly(
                java.util.Map.entry("route.toFilter",
                        "FROM /messages/modules/sensor/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in1\")"),
                java.util.Map.entry("route.alerts",
                        "FROM /messages/modules/filter/* WHERE $body.temp > 30 INTO $upstream"),
                java.util.Map.entry("route.alerts.priority", "0"),
                java.util.Map.entry("route.alerts.timeToLiveSecs", "86400"),
                java.util.Map.entry("storeAndForward.timeToLiveSecs", "7200"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}|expected an object with \"routes\" (or an IoT Edge manifest with modulesContent.$edgeHub.properties.desired.routes)",
        "{\"routes\": []}|routes: must be an object of named routes",
        "{\"properties.desired\": {\"routes\": {\"r\": 1}}}|properties.desired.routes.r: a route is a string or {\"route\": ..., \"priority\": ..., \"timeToLiveSecs\": ...}",
        "{\"routes\": {\"r\": {\"route\": \"FROM /messages/* INTO $upstream\", \"priority\": \"high\"}}}|routes.r.priority: must be a whole number",
        "{\"routes\": {\"a.b\": \"FROM /messages/* INTO $upstream\"}}|routes.a.b: a route name is 1 to 64 letters, digits, '-' or '_'",
        "{\"routes\": {}, \"storeAndForwardConfiguration\": {\"timeToLiveSecs\": 1.5}}|storeAndForwardConfiguration.timeToLiveSecs: must be a whole number of seconds",
        "{\"routes\": {}, \"storeAndForwardConfiguration\": {\"maxBytesPerEndpoint\": \"1G\"}}|storeAndForwardConfiguration.maxBytesPerEndpoint: must be a whole number of bytes",
        "{\"routes\": {}, \"storeAndForwardConfiguration\": {\"whenFull\": 1}}|storeAndForwardConfiguration.whenFull: must be \"reject\" or \"drop-oldest\""
    })
    void rejectsWhatIsNotTheShapeSayingWhere(String json, String error) {
        assertThatThrownBy(() -> EdgeHubRoutes.toProperties(JSON.readTree(json))).hasMessage(error);
    }

    @org.junit.jupiter.api.Test
    void theRoutesThenCompileIntoATable() throws Exception {
        RouteTable t = RouteTable.fromProperties(EdgeHubRoutes.toProperties(JSON.readTree(SECTION)));

        assertThat(t.routes()).extracting(r -> r.name()).containsExactly("alerts", "toFilter");
        assertThat(t.priorities()).containsEntry("alerts", 0);
        assertThat(t.timeToLiveMs("alerts")).isEqualTo(86_400_000);
    }

    @org.junit.jupiter.api.Test
    void outpostsOwnStoreAndForwardSettingsTravelInTheSameSection() throws Exception {
        RouteTable t = RouteTable.fromProperties(EdgeHubRoutes.toProperties(JSON.readTree("{\"routes\": {},"
                + " \"storeAndForwardConfiguration\": {\"maxBytesPerEndpoint\": 1048576, \"whenFull\": \"drop-oldest\"}}")));
        assertThat(t.maxBytesPerEndpoint()).isEqualTo(1_048_576);
        assertThat(t.whenFull()).isEqualTo(RouteTable.WhenFull.DROP_OLDEST);
    }
}
