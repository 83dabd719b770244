/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the route language: any text given as a route is compiled or refused with a {@link RouteCompileException},
 * and a compiled route decides any message (any body, in UTF-8 and in the other encodings IoT Edge accepts) without
 * throwing. A crash is anything else: an unchecked exception, a stack overflow, a hang (Jazzer's timeout).
 * <p>
 * An input is the route's text, a line break, and the message's body. The corpus is in
 * {@code src/test/resources/org/outpost/routelanguage/RouteLanguageFuzzTestInputs/}: it runs with the unit tests, and
 * the build then fuzzes for the time below (the {@code fuzz} execution in {@code bundles/pom.xml}).
 */
class RouteLanguageFuzzTest {

    private static final String[] ENCODINGS = {"utf-8", "utf-16", "utf-32", "utf-16be", "ascii", ""};

    @FuzzTest(maxDuration = "10s")
    void anyRouteCompilesOrIsRefusedAndDecidesAnyMessage(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String route = newline < 0 ? text : text.substring(0, newline);
        CompiledRoute compiled;
        try {
            compiled = RouteLanguage.compileRoute("fuzz", route);
        } catch (RouteCompileException refused) {
            return;
        }
        byte[] body = newline < 0 ? new byte[0] : text.substring(newline + 1).getBytes(StandardCharsets.UTF_8);
        String encoding = ENCODINGS[Math.floorMod(input.length, ENCODINGS.length)];
        RouteMessage message = RouteMessage.of("/messages/modules/m1/outputs/o1", body, Map.of("site", "plant 1",
                "level", "3"), Map.of("contentType", "application/json", "contentEncoding", encoding,
                        "connectionDeviceId", "d1", "connectionModuleId", "m1"));
        compiled.matchesSource(message.source());
        compiled.decide(message);
    }
}
