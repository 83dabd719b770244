/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteLanguageTest {

    static final String BODY = "{\"temp\":35.5,\"name\":\"pump-7\",\"on\":true,\"off\":false,\"nothing\":null,"
            + "\"arr\":[1,2,{\"x\":\"y\"}],\"obj\":{\"a\":{\"b\":3}},\"zero\":0,\"neg\":-4}";

    static final RouteMessage MESSAGE = message("/messages/modules/sensor/outputs/temp", BODY, "application/json",
            "utf-8");

    static RouteMessage message(String source, String body, String contentType, String encoding) {
        Map<String, String> sys = new java.util.HashMap<>(Map.of("messageId", "m-1", "correlationId", "c-1",
                "connectionDeviceId", "gw-1", "connectionModuleId", "sensor", "outputName", "temp"));
        if (contentType != null) {
            sys.put("contentType", contentType);
        }
        if (encoding != null) {
            sys.put("contentEncoding", encoding);
        }
        return RouteMessage.of(source, body.getBytes(StandardCharsets.UTF_8),
                Map.of("MessageType", "Alert", "count", "12", "$custom", "dollar", "empty", ""), sys);
    }

    /** Every line of conditions.txt: a condition and what it gives for {@link #MESSAGE}. */
    @TestFactory
    Stream<DynamicTest> conditionsTable() throws Exception {
        List<String[]> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/conditions.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.split("\t");
                    assertThat(parts).as("line: " + line).hasSize(2);
                    cases.add(parts);
                }
            }
        }
        assertThat(cases).hasSizeGreaterThan(200);
        return cases.stream().map(c -> dynamicTest(c[0] + "  ->  " + c[1], () -> check(c[0], c[1])));
    }

    private static void check(String condition, String expected) throws Exception {
        if (expected.startsWith("error: ")) {
            assertThatThrownBy(() -> RouteLanguage.compileCondition(condition))
                    .isInstanceOf(RouteCompileException.class)
                    .hasMessageContaining(expected.substring("error: ".length()));
            return;
        }
        Condition compiled = RouteLanguage.compileCondition(condition);
        assertThat(compiled.evaluate(MESSAGE).label()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/json|utf-8|true",
        "application/json|UTF-8|true",
        "Application/JSON|Utf-8|true",
        "application/json; charset=utf-8|utf-8|undefined",
        "application/json|utf8|undefined",
        "application/json|utf-16|true",
        "application/json|UTF-16|true",
        "application/json|utf-32|true",
        "application/json|utf-16le|undefined",
        "text/plain|utf-8|undefined",
        "application/json|ascii|undefined",
        "|utf-8|undefined",
        "application/json||undefined"
    })
    void bodyQueriesNeedJsonInAUnicodeEncoding(String type, String encoding, String expected) throws Exception {
        java.nio.charset.Charset cs = encoding == null || BodyJson.charset(encoding) == null ? StandardCharsets.UTF_8
                : BodyJson.charset(encoding);
        RouteMessage m = RouteMessage.of("/messages", "{\"t\": 1}".getBytes(cs), Map.of(),
                encoding == null && type == null ? Map.of() : type == null ? Map.of("contentEncoding", encoding)
                        : encoding == null ? Map.of("contentType", type)
                        : Map.of("contentType", type, "contentEncoding", encoding));

        assertThat(RouteLanguage.compileCondition("$body.t = 1").evaluate(m).label()).isEqualTo(expected);
    }

    @Test
    void anExponentWithoutDigitsBeforeItIsANameNotANumber() throws Exception {
        // Found by RouteLanguageFuzzTest: "e34" was lexed as a number and threw NumberFormatException.
        assertThat(RouteLanguage.compileCondition("1e3 = 1000 AND 2.5E-1 = 0.25 AND .5 = 0.5").evaluate(MESSAGE))
                .isEqualTo(Tri.TRUE);
        assertThatThrownBy(() -> RouteLanguage.compileCondition("(e34 (level = 3))"))
                .isInstanceOf(RouteCompileException.class);
        assertThatThrownBy(() -> RouteLanguage.compileCondition("-e3 = 1")).isInstanceOf(RouteCompileException.class);
    }

    @Test
    void explainNamesTheFirstOperandWithoutAValue() throws Exception {
        // A missing path is null, not undefined (edgeHub): an object is what a route cannot use.
        Condition c = RouteLanguage.compileCondition("$body.temp > 30 AND $body.obj > 1");

        assertThat(c.explain(MESSAGE)).isEqualTo(new Condition.Evaluation(Tri.UNDEFINED, "$body.obj"));
        assertThat(RouteLanguage.compileCondition("$body.temp > 30").explain(MESSAGE))
                .isEqualTo(new Condition.Evaluation(Tri.TRUE, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM /messages/* INTO $upstream|/messages/modules/a/outputs/o|TAKEN",
        "from /messages/* into $UPSTREAM|/messages/modules/a/outputs/o|TAKEN",
        "SELECT * FROM /messages/modules/a/* INTO $upstream|/messages/modules/a/outputs/o|TAKEN",
        "select * from /messages/modules/A/* into $upstream|/messages/modules/a/outputs/o|TAKEN",
        "FROM /messages/modules/b/* INTO $upstream|/messages/modules/a/outputs/o|SOURCE_MISMATCH",
        "FROM /messages/modules/a/outputs/temp INTO $upstream|/messages/modules/a/outputs/temperature|SOURCE_MISMATCH",
        "FROM /messages/modules/a/outputs/temp INTO $upstream|/messages/modules/a/outputs/temp|TAKEN",
        "FROM /messages/modules INTO $upstream|/messages/modules/a/outputs/o|TAKEN",
        "FROM /messages INTO $upstream|/messages|TAKEN",
        "FROM /twinChangeNotifications INTO $upstream|/messages/modules/a/outputs/o|SOURCE_MISMATCH",
        "FROM /messages/* WHERE $body.temp > 30 INTO $upstream|/messages/modules/a/outputs/o|TAKEN",
        "FROM /messages/* WHERE $body.temp < 30 INTO $upstream|/messages/modules/a/outputs/o|CONDITION_FALSE",
        "FROM /messages/* WHERE $body.obj > 30 INTO $upstream|/messages/modules/a/outputs/o|CONDITION_UNDEFINED",
        "FROM /messages/* WHERE $body.speed > 30 INTO $upstream|/messages/modules/a/outputs/o|TAKEN",
        "FROM /messages/* WHERE MessageType = 'Alert' INTO BrokeredEndpoint(\"/modules/f/inputs/in1\")|/messages/modules/a/outputs/o|TAKEN",
        "FROM /messages/* WHERE 'a into b' = 'a into b' INTO $upstream|/messages/modules/a/outputs/o|TAKEN"
    })
    void routesDecideBySourceThenCondition(String route, String source, String outcome) throws Exception {
        CompiledRoute r = RouteLanguage.compileRoute("r", route);
        RouteMessage m = message(source, BODY, "application/json", "utf-8");

        assertThat(r.decide(m).outcome()).hasToString(outcome);
    }

    @Test
    void compiledRouteKeepsItsParts() throws Exception {
        CompiledRoute r = RouteLanguage.compileRoute("alerts", "FROM /messages/modules/filter/outputs/* WHERE"
                + " $body.temp > 30 AND MessageType = 'Alert' INTO BrokeredEndpoint(\"/modules/sink/inputs/in_1\")");

        assertThat(r.source()).isEqualTo("/messages/modules/filter/outputs/*");
        assertThat(r.condition()).hasValueSatisfying(c -> assertThat(c.text())
                .isEqualTo("$body.temp > 30 AND MessageType = 'Alert'"));
        assertThat(r.sink()).isEqualTo(new Sink("sink", "in_1"));
        assertThat(r.sink()).hasToString("BrokeredEndpoint(\"/modules/sink/inputs/in_1\")");
        assertThat(RouteLanguage.compileRoute("u", "FROM /messages/* INTO $upstream").sink().isUpstream()).isTrue();
    }

    @Test
    void twinChangeIncludesLooksAtTheTwinPatch() throws Exception {
        CompiledRoute r = RouteLanguage.compileRoute("twin", "FROM /twinChangeNotifications WHERE"
                + " twin_change_includes('properties.reported.temp') INTO $upstream");
        RouteMessage withTemp = message("/twinChangeNotifications",
                "{\"properties\":{\"reported\":{\"temp\":1}}}", "application/json", "utf-8");
        RouteMessage without = message("/twinChangeNotifications",
                "{\"properties\":{\"reported\":{\"other\":1}}}", "application/json", "utf-8");

        assertThat(r.decide(withTemp).taken()).isTrue();
        assertThat(r.decide(without).outcome()).isEqualTo(CompiledRoute.Outcome.CONDITION_FALSE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM /messages/* WHERE temp > 30 INTO $upstream|route 'r': column 29: cannot compare string with number (use as_number(temp))",
        "FROM /messages/*|route 'r': column 17: the route needs INTO <sink> at the end",
        "FROM messages INTO $upstream|route 'r': column 6: expected a source path such as /messages/* after FROM",
        "INTO $upstream|route 'r': column 1: expected FROM <source>, found 'INTO'",
        "FROM /messages/* INTO $downstream|route 'r': column 23: the sink must be $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\"), found '$downstream'",
        "FROM /messages/* INTO BrokeredEndpoint(\"/modules/a/outputs/b\")|route 'r': column 40: BrokeredEndpoint must be \"/modules/<module>/inputs/<input>\", got \"/modules/a/outputs/b\"",
        "FROM /messages/* INTO BrokeredEndpoint(\"/modules/a.b/inputs/c\")|route 'r': column 40: module and input names are 1 to 64 letters, digits, '-' or '_', got \"/modules/a.b/inputs/c\"",
        "FROM /messages/* WHERE INTO $upstream|route 'r': column 24: WHERE needs a condition (write true to take every message)",
        "FROM /messages/* WHERE true $upstream|route 'r': column 29: expected INTO <sink> or an operator, found '$upstream'",
        "FROM /messages/* INTO $upstream extra|route 'r': column 33: unexpected 'extra' after the sink",
        "SELECT FROM /messages/* INTO $upstream|route 'r': column 8: expected '*' after SELECT, found 'FROM'",
        "FROM /messages/* WHERE twin_change_includes('a') INTO $upstream|route 'r': column 24: twin_change_includes works only on FROM /twinChangeNotifications"
    })
    void badRoutesSayWhatAndWhere(String route, String error) {
        assertThatThrownBy(() -> RouteLanguage.compileRoute("r", route)).isInstanceOf(RouteCompileException.class)
                .hasMessage(error);
    }
}
