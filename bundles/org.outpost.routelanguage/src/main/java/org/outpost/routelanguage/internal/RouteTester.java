/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.outpost.routelanguage.CompiledRoute;
import org.outpost.routelanguage.Condition;
import org.outpost.routelanguage.MessageJson;
import org.outpost.routelanguage.RouteCompileException;
import org.outpost.routelanguage.RouteLanguage;
import org.outpost.routelanguage.RouteMessage;

/**
 * The offline route tester, {@code bin/outpost-routes test FILE} (or {@code -} for standard input): test routes and
 * conditions against messages before deploying them, with no gateway running. It reads JSON lines and writes one JSON
 * line per input line, in order:
 *
 * <pre>
 * {"condition": "$body.t &gt; 30", "message": M}   -&gt; {"result": "true|false|undefined|compile-error", "error": ...}
 * {"route": "FROM ... INTO ...", "message": M}  -&gt; {"result": "taken|not-taken|compile-error", "sink": ..., "error": ...}
 * M = {"source": "/messages/modules/m/outputs/o", "body": "text" or "bodyBase64": "...", "contentType": ...,
 *      "contentEncoding": ..., "appProperties": {...}, "systemProperties": {...}}
 * </pre>
 *
 * Property values are strings or null (present with a null value). A condition is compiled for the message's source when it
 * has one: {@code twin_change_includes} only for {@code /twinChangeNotifications}.
 *
 * A line that is not such an object gets {@code {"result": "input-error", "error": ...}} and the tool goes on.
 */
public final class RouteTester {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RouteTester() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].equals("test")) {
            System.err.println("usage: outpost-routes test FILE   (FILE is JSON lines; '-' reads standard input)");
            System.exit(2);
        }
        Reader in = args[1].equals("-") ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8);
        try (in) {
            run(in, new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        }
    }

    /** Tests every line of {@code in}, writing one line per input line to {@code out}. */
    public static void run(Reader in, Writer out) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        PrintWriter writer = new PrintWriter(out);
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            writer.println(JSON.writeValueAsString(test(line)));
            writer.flush();
        }
    }

    static Map<String, Object> test(String line) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode input;
        RouteMessage message;
        try {
            input = JSON.readTree(line);
            if (input == null || !input.isObject()) {
                return inputError("each line must be a JSON object with \"condition\" or \"route\", and \"message\"");
            }
            message = MessageJson.parse(input.path("message"));
        } catch (JsonProcessingException e) {
            return inputError("not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return inputError(e.getMessage());
        }
        if (input.path("condition").isTextual()) {
            try {
                Condition c = RouteLanguage.compileCondition(input.get("condition").textValue(),
                        input.path("message").hasNonNull("source") ? message.source() : null);
                Condition.Evaluation e = c.explain(message);
                out.put("result", e.result().label());
                if (e.undefinedOperand() != null) {
                    out.put("undefined", e.undefinedOperand());
                }
            } catch (RouteCompileException e) {
                out.put("result", "compile-error");
                out.put("error", e.getMessage());
            }
            return out;
        }
        if (input.path("route").isTextual()) {
            try {
                CompiledRoute r = RouteLanguage.compileRoute("route", input.get("route").textValue());
                CompiledRoute.Decision d = r.decide(message);
                out.put("result", d.taken() ? "taken" : "not-taken");
                out.put("sink", r.sink().toString());
                if (!d.taken()) {
                    out.put("reason", d.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                            + (d.detail() == null ? "" : ": " + d.detail() + " is undefined"));
                }
            } catch (RouteCompileException e) {
                out.put("result", "compile-error");
                out.put("error", e.getMessage());
            }
            return out;
        }
        return inputError("the object needs a \"condition\" or a \"route\" string");
    }

    private static Map<String, Object> inputError(String error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", "input-error");
        out.put("error", error);
        return out;
    }
}
