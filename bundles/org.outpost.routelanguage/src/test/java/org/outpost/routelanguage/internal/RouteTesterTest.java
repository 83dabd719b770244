/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class RouteTesterTest {

    private static final String JSON_MESSAGE = "{\"source\":\"/messages/modules/s/outputs/o\",\"body\":\"{\\\"t\\\":31}\","
            + "\"contentType\":\"application/json\",\"contentEncoding\":\"utf-8\",\"appProperties\":{\"kind\":\"hot\"}}";

    private static String run(String input) throws Exception {
        StringWriter out = new StringWriter();
        RouteTester.run(new StringReader(input), out);
        return out.toString();
    }

    @Test
    void answersOneLinePerInputLineInOrderAndGoesOnAfterBadLines() throws Exception {
        String input = String.join("\n",
                "{\"condition\": \"$body.t > 30\", \"message\": " + JSON_MESSAGE + "}",
                "{\"condition\": \"$body.t < 30\", \"message\": " + JSON_MESSAGE + "}",
                "{\"condition\": \"$body.x > 30\", \"message\": " + JSON_MESSAGE + "}",
                "{\"condition\": \"kind > 30\", \"message\": " + JSON_MESSAGE + "}",
                "not json",
                "{\"route\": \"FROM /messages/modules/s/* WHERE kind = 'hot' INTO $upstream\", \"message\": "
                        + JSON_MESSAGE + "}",
                "{\"route\": \"FROM /messages/modules/other/* INTO $upstream\", \"message\": " + JSON_MESSAGE + "}",
                "{\"route\": \"FROM /messages/* WHERE $body.x INTO BrokeredEndpoint(\\\"/modules/a/inputs/b\\\")\","
                        + " \"message\": " + JSON_MESSAGE + "}",
                "{\"route\": \"FROM /messages/* INTO nowhere\", \"message\": {}}",
                "{\"message\": {}}",
                "{\"condition\": \"true\", \"message\": {\"bodyBase64\": \"%%%\"}}",
                "",
                "{\"condition\": \"$body.t = 7\", \"message\": {\"bodyBase64\": \"eyJ0Ijo3fQ==\", \"contentType\":"
                        + " \"application/json\", \"contentEncoding\": \"utf-8\"}}");

        assertThat(run(input).lines()).containsExactly(
                "{\"result\":\"true\"}",
                "{\"result\":\"false\"}",
                "{\"result\":\"true\"}",
                "{\"result\":\"compile-error\",\"error\":\"column 6: cannot compare string with number (use"
                        + " as_number(kind))\"}",
                "{\"result\":\"input-error\",\"error\":\"not JSON: Unrecognized token 'not': was expecting (JSON"
                        + " String, Number, Array, Object or token 'null', 'true' or 'false')\"}",
                "{\"result\":\"taken\",\"sink\":\"$upstream\"}",
                "{\"result\":\"not-taken\",\"sink\":\"$upstream\",\"reason\":\"source-mismatch\"}",
                "{\"result\":\"not-taken\",\"sink\":\"BrokeredEndpoint(\\\"/modules/a/inputs/b\\\")\","
                        + "\"reason\":\"condition-undefined\"}",
                "{\"result\":\"compile-error\",\"error\":\"route 'route': column 23: the sink must be $upstream or"
                        + " BrokeredEndpoint(\\\"/modules/<module>/inputs/<input>\\\"), found 'nowhere'\"}",
                "{\"result\":\"input-error\",\"error\":\"the object needs a \\\"condition\\\" or a \\\"route\\\""
                        + " string\"}",
                "{\"result\":\"input-error\",\"error\":\"\\\"bodyBase64\\\" is not base64: Illegal base64 character"
                        + " 25\"}",
                "{\"result\":\"true\"}");
    }

    @Test
    void takesPropertiesPresentWithANullValue() throws Exception {
        String message = "{\"appProperties\": {\"p\": null, \"q\": \"x\"}, \"systemProperties\": {\"s\": null}}";
        String input = String.join("\n",
                "{\"condition\": \"is_null(p) AND is_defined(p) AND is_null($s)\", \"message\": " + message + "}",
                "{\"condition\": \"p = 'x'\", \"message\": " + message + "}",
                "{\"condition\": \"p || q = 'x'\", \"message\": " + message + "}",
                "{\"condition\": \"is_null(q)\", \"message\": " + message + "}");

        assertThat(run(input).lines()).containsExactly("{\"result\":\"true\"}",
                "{\"result\":\"undefined\"}", "{\"result\":\"true\"}", "{\"result\":\"false\"}");
    }

    @Test
    void compilesAConditionForItsMessagesSource() throws Exception {
        String twin = "{\"source\": \"/twinChangeNotifications\", \"body\": \"{\\\"properties\\\":{\\\"reported\\\":"
                + "{\\\"t\\\":1}}}\", \"contentType\": \"application/json\", \"contentEncoding\": \"utf-8\"}";
        String input = String.join("\n",
                "{\"condition\": \"twin_change_includes(properties.reported.t)\", \"message\": " + twin + "}",
                "{\"condition\": \"twin_change_includes(properties.reported.u)\", \"message\": " + twin + "}",
                "{\"condition\": \"twin_change_includes(properties.reported.t)\", \"message\": {\"source\":"
                        + " \"/messages\"}}",
                "{\"condition\": \"twin_change_includes(properties.reported.t)\", \"message\": {}}");

        assertThat(run(input).lines()).containsExactly("{\"result\":\"true\"}", "{\"result\":\"false\"}",
                "{\"result\":\"compile-error\",\"error\":\"column 1: twin_change_includes works only on FROM"
                        + " /twinChangeNotifications\"}",
                "{\"result\":\"undefined\",\"undefined\":\"twin_change_includes(properties.reported.t)\"}");
    }

    @Test
    void encodesATextBodyInItsDeclaredEncoding() throws Exception {
        String line = "{\"condition\": \"$body.name = 'é'\", \"message\": {\"body\": \"{\\\"name\\\":\\\"é\\\"}\","
                + " \"contentType\": \"application/json\", \"contentEncoding\": \"utf-16\"}}";

        assertThat(run(line).strip()).isEqualTo("{\"result\":\"true\"}");
    }
}
