/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM /messages/* INTO $upstream|/messages/modules/a/outputs/o|true",
        "from /messages/* into $UPSTREAM|/messages/modules/a/outputs/o|true",
        "SELECT * FROM /messages/modules/a/* INTO $upstream|/messages/modules/a/outputs/o|true",
        "FROM /messages/modules/A/* INTO $upstream|/messages/modules/a/outputs/o|true",
        "FROM /messages/modules/b/* INTO $upstream|/messages/modules/a/outputs/o|false",
        "FROM /messages/modules/a/outputs/temp INTO $upstream|/messages/modules/a/outputs/temperature|false",
        "FROM /messages/modules/a/outputs/temp INTO $upstream|/messages/modules/a/outputs/temp|true",
        "FROM /messages/modules INTO $upstream|/messages/modules/a/outputs/o|true",
        "FROM /twinChangeNotifications INTO $upstream|/messages/modules/a/outputs/o|false"
    })
    void matchesSourcesAsCaseInsensitivePathPrefixes(String route, String source, boolean matches) {
        assertThat(Route.parse("r", route).matches(source)).isEqualTo(matches);
    }

    @Test
    void brokeredEndpointBecomesTheModuleInputQueue() {
        Route r = Route.parse("r", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")");

        assertThat(r.sink()).isEqualTo("outpost.modules.filter.inputs.input1");
    }

    @Test
    void deliversToEachEndpointOnce() {
        RouteTable t = RouteTable.fromProperties(Map.of(
                "route.all", "FROM /messages/* INTO $upstream",
                "route.sensor", "FROM /messages/modules/sensor/* INTO $upstream",
                "route.toFilter", "FROM /messages/modules/sensor/outputs/* INTO BrokeredEndpoint(\"/modules/filter/inputs/in\")",
                "unrelated.key", "x"));

        assertThat(t.endpointsFor("sensor", "temp"))
                .containsExactly("outpost.endpoint.upstream", "outpost.modules.filter.inputs.in");
        assertThat(t.endpointsFor("filter", "alerts")).containsExactly("outpost.endpoint.upstream");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM /messages/*|route 'r': expected FROM <source> [WHERE <condition>] INTO <sink>, got: FROM /messages/*",
        "FROM messages INTO $upstream|route 'r': source 'messages' must be a path such as /messages/* or /messages/modules/sensor/outputs/temperature",
        "FROM /messages/* INTO $downstream|route 'r': sink '$downstream' must be $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")",
        "FROM /messages/* INTO BrokeredEndpoint(\"/modules/a/outputs/b\")|route 'r': sink 'BrokeredEndpoint(\"/modules/a/outputs/b\")' must be $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")",
        "FROM /messages/* WHERE temp > 1 INTO $upstream|route 'r': WHERE conditions are not supported by this version of the gateway yet; remove the WHERE clause"
    })
    void rejectsBadRoutesSayingWhatIsWrong(String route, String error) {
        assertThatThrownBy(() -> Route.parse("r", route)).hasMessage(error);
    }

    @Test
    void oneBadRouteRejectsTheWholeSet() {
        assertThatThrownBy(() -> RouteTable.fromProperties(Map.of(
                "route.good", "FROM /messages/* INTO $upstream",
                "route.bad", "FROM /messages/* INTO nowhere")))
                .hasMessageStartingWith("route 'bad': sink 'nowhere'");
    }
}
