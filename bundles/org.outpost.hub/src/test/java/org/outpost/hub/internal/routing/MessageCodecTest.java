/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.hub.routing.RoutedMessage;

/** The envelopes and stored properties, streamed, are the JSON the tree-built ones were, to the character. */
class MessageCodecTest {

    private static List<Message> samples() {
        Instant created = Instant.parse("2026-12-05T10:15:30.123Z");
        return List.of(
                Message.builder().json("{\"machine\":{\"temperature\":21.5,\"ok\":true},\"n\":7,\"tags\":[1,\"x\""
                        + ",null]}").contentEncoding("utf-8").property("sequence", "1").property("\"quoted\"\n",
                                "caf\u00e9 \u2713").connectionDeviceId("gw-1").connectionModuleId("m").messageId(
                                        "id-1").correlationId("c").outputName("out").creationTimeUtc(created).build(),
                Message.builder().body("{\n  \"pretty\" :  [ 1 , 2.50, 1e3 ]\n}").contentType(
                        "application/json; charset=utf-8").build(),
                Message.builder().body("not json {").contentType("application/json").build(),
                Message.builder().body("").contentType("application/json").build(),
                Message.builder().body(new byte[] {0, 1, (byte) 0xff}).build(),
                Message.builder().body("{\"a\":1}").contentType("application/json").contentEncoding("utf-16")
                        .build(),
                Message.builder().body("\"just a string\"").contentType("application/json").build());
    }

    /** The envelope as a tree (maps converted by valueToTree), as it was built before it was streamed. */
    private static ObjectNode treeEnvelope(RoutedMessage r) {
        ObjectNode o = MessageCodec.MAPPER.createObjectNode();
        o.put("sequence", r.sequence());
        o.put("route", r.route());
        o.put("enqueuedTime", r.enqueuedTime().toString());
        o.set("systemProperties", MessageCodec.MAPPER.valueToTree(MessageCodec.system(r.message())));
        o.set("properties", MessageCodec.MAPPER.valueToTree(r.message().properties()));
        JsonNode json = MessageCodec.jsonBody(r.message());
        if (json != null) {
            o.set("body", json);
        } else {
            o.put("body", Base64.getEncoder().encodeToString(r.message().body()));
            o.put("bodyEncoding", "base64");
        }
        return o;
    }

    @Test
    void streamedEnvelopesAreTheTreeBuiltOnes() throws Exception {
        List<RoutedMessage> routed = new ArrayList<>();
        ArrayNode expected = MessageCodec.MAPPER.createArrayNode();
        long seq = 1;
        for (Message m : samples()) {
            RoutedMessage r = new RoutedMessage("r-" + seq, seq++, Instant.parse("2026-12-05T11:00:00Z"), m);
            routed.add(r);
            expected.add(treeEnvelope(r));
            assertThat(MessageCodec.envelopes(List.of(r), false)).isEqualTo(treeEnvelope(r).toString());
            assertThat(MessageCodec.envelope(r).toString()).isEqualTo(treeEnvelope(r).toString());
        }
        assertThat(MessageCodec.envelopes(routed, true)).isEqualTo(expected.toString());
        assertThat(MessageCodec.MAPPER.readTree(MessageCodec.envelopes(routed, true)).get(1).path("body")
                .path("pretty").get(1).asDouble()).isEqualTo(2.5);
    }

    @Test
    void storedPropertiesAreTheTreeBuiltOnesAndReadBackToTheSameMessage() {
        for (Message m : samples()) {
            ObjectNode root = MessageCodec.MAPPER.createObjectNode();
            root.set("system", MessageCodec.MAPPER.valueToTree(MessageCodec.system(m)));
            root.set("properties", MessageCodec.MAPPER.valueToTree(m.properties()));
            String stored = MessageCodec.properties(m);
            assertThat(stored).isEqualTo(root.toString());

            Message back = MessageCodec.message(stored, MessageCodec.body(m));
            assertThat(back.properties()).isEqualTo(m.properties());
            assertThat(MessageCodec.system(back)).isEqualTo(MessageCodec.system(m));
            assertThat(new String(back.body(), StandardCharsets.ISO_8859_1)).isEqualTo(new String(m.body(),
                    StandardCharsets.ISO_8859_1));
        }
    }
}
