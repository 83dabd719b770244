/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.message.Message;
import org.outpost.api.module.AsyncInputHandler;
import org.outpost.api.module.MethodHandler;
import org.outpost.api.module.SendException;

class OutpostComponentTest {

    private final FakeModuleClient client = new FakeModuleClient("filter");
    private final FakeRegistrar registrar = new FakeRegistrar();
    private final CamelContext camel = new DefaultCamelContext();

    OutpostComponentTest() {
        camel.addComponent("outpost", new OutpostComponent(client, registrar));
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private void routes(RouteBuilder builder) throws Exception {
        camel.addRoutes(builder);
        camel.start();
    }

    @Test
    void anInputMessageGoesThroughTheRouteToAnOutputWithItsPropertiesAndIsAcknowledgedWhenStored() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:input/in").routeId("pass").setHeader("seen", simple("${header.OutpostInputName}"))
                        .to("outpost:output/out");
            }
        });
        Message in = Message.builder().json("{\"t\": 21.5}").property("site", "north").messageId("m-1")
                .correlationId("c-1").connectionModuleId("sensor").connectionDeviceId("dev").outputName("o")
                .creationTimeUtc(Instant.parse("2026-12-05T14:00:00Z")).build();

        registrar.inputs.get("in").onMessage(in);

        // onMessage returned: the output message was stored (sendAsync completed) before the acknowledgement
        assertThat(client.sent).hasSize(1);
        Message out = client.sent.get(0).message();
        assertThat(client.sent.get(0).output()).isEqualTo("out");
        assertThat(out.bodyAsString()).isEqualTo("{\"t\": 21.5}");
        assertThat(out.properties()).containsEntry("site", "north").containsEntry("seen", "in");
        assertThat(out.properties()).doesNotContainKeys(OutpostHeaders.INPUT_NAME, OutpostHeaders.MESSAGE_ID);
        assertThat(out.messageId()).isEqualTo("m-1");
        assertThat(out.correlationId()).isEqualTo("c-1");
        assertThat(out.contentType()).isEqualTo("application/json");
        assertThat(out.contentEncoding()).isEqualTo("utf-8");
        assertThat(out.creationTimeUtc()).isEqualTo(Instant.parse("2026-12-05T14:00:00Z"));
    }

    @Test
    void aFailingExchangeThrowsSoThatTheMessageIsDeliveredAgain() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("outpost:input/in").process(e -> {
                    throw new IllegalStateException("device busy");
                });
            }
        });
        assertThatThrownBy(() -> registrar.inputs.get("in").onMessage(Message.builder().body("x").build()))
                .hasMessage("device busy");
    }

    @Test
    void messagesAreTakenWhileEarlierOnesAwaitStorageAndEachCompletesWhenItsOutputIsStored() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:input/in").transform(simple("${body}!")).to("outpost:output/out");
            }
        });
        assertThat(registrar.inFlight).containsEntry("in", AsyncInputHandler.DEFAULT_IN_FLIGHT);
        client.holding = true;
        AsyncInputHandler in = registrar.asyncInputs.get("in");
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (String body : List.of("a", "b", "c")) {
            stages.add(in.onMessage(Message.builder().body(body).build()).toCompletableFuture());
        }
        // all three were sent, in order, and none is acknowledged before the journal has it
        assertThat(client.bodies("out")).containsExactly("a!", "b!", "c!");
        assertThat(stages).noneMatch(CompletableFuture::isDone);

        client.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> stages.stream().allMatch(CompletableFuture::isDone));
        assertThat(stages).noneMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void anOutputThatFailsFailsTheStageOfItsMessageOnly() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:input/in?inFlight=1").to("outpost:output/out");
            }
        });
        assertThat(registrar.inFlight).containsEntry("in", 1);
        AsyncInputHandler in = registrar.asyncInputs.get("in");
        client.failing = true;
        CompletableFuture<Void> failed = in.onMessage(Message.builder().body("x").build()).toCompletableFuture();
        client.failing = false;
        CompletableFuture<Void> ok = in.onMessage(Message.builder().body("y").build()).toCompletableFuture();

        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SendException.class);
        ok.get(5, TimeUnit.SECONDS);
        assertThat(client.bodies("out")).containsExactly("y");
    }

    @Test
    void aBadInFlightOptionSaysWhatItTakes() {
        assertThatThrownBy(() -> camel.getEndpoint("outpost:input/in?inFlight=0"))
                .hasMessageContaining("inFlight is '0'; give a whole number from 1");
        assertThatThrownBy(() -> camel.getEndpoint("outpost:input/in?inFlight=many"))
                .hasMessageContaining("inFlight is 'many'");
        assertThatThrownBy(() -> camel.getEndpoint("outpost:output/out?inFlight=2"))
                .hasMessageContaining("takes no options");
        assertThatThrownBy(() -> camel.getEndpoint("outpost:input/in?speed=2"))
                .hasMessageContaining("takes only the option inFlight");
    }

    @Test
    void anOutputThatIsNotStoredFailsTheExchangeWithTheSendException() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("outpost:output/out");
            }
        });
        client.failing = true;
        assertThatThrownBy(() -> camel.createProducerTemplate().sendBody("direct:a", "x"))
                .isInstanceOf(CamelExecutionException.class).hasCauseInstanceOf(SendException.class);
    }

    @Test
    void jsonTextIsSentAsJsonAndOtherTextAsItIsWithHeadersAsProperties() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("outpost:output/out");
            }
        });
        var template = camel.createProducerTemplate();
        template.sendBodyAndHeader("direct:a", "[1, 2]", "count", 2);
        template.sendBody("direct:a", "plain");
        template.sendBodyAndHeader("direct:a", "{\"a\":1}", OutpostHeaders.CONTENT_TYPE, "application/x-custom");
        template.sendBody("direct:a", java.util.Map.of("k", "v"));

        await().atMost(Duration.ofSeconds(5)).until(() -> client.sent.size() == 4);
        assertThat(client.sent.get(0).message().contentType()).isEqualTo("application/json");
        assertThat(client.sent.get(0).message().properties()).containsEntry("count", "2");
        assertThat(client.sent.get(1).message().contentType()).isNull();
        assertThat(client.sent.get(1).message().bodyAsString()).isEqualTo("plain");
        assertThat(client.sent.get(2).message().contentType()).isEqualTo("application/x-custom");
        assertThat(client.sent.get(3).message().bodyAsString()).isEqualTo("{\"k\":\"v\"}");
        assertThat(client.sent.get(3).message().contentType()).isEqualTo("application/json");
    }

    @Test
    void credentialAndHopByHopHeadersAreNotApplicationProperties() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("outpost:output/out");
            }
        });
        java.util.Map<String, Object> headers = new java.util.HashMap<>();
        for (String h : java.util.List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
                "Connection", "Transfer-Encoding", "Host", "Content-Length", "authorization", "CamelHttpUri",
                "org.apache.camel.x")) {
            headers.put(h, "secret-or-hop");
        }
        headers.put("site", "north");
        camel.createProducerTemplate().sendBodyAndHeaders("direct:a", "x", headers);

        await().atMost(Duration.ofSeconds(5)).until(() -> client.sent.size() == 1);
        assertThat(client.sent.get(0).message().properties()).containsExactly(java.util.Map.entry("site", "north"));
    }

    @Test
    void aMethodRouteAnswersWithItsBodyAndStatus() throws Exception {
        routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:method/echo").routeId("echo")
                        .setHeader(OutpostHeaders.METHOD_STATUS, constant(201))
                        .setBody(simple("{\"got\": ${body}}"));
                from("outpost:method/hello").setBody(constant("hello"));
                from("outpost:method/bad").process(e -> {
                    throw new IllegalArgumentException("no such valve");
                });
            }
        });
        assertThat(registrar.methods.get("echo").invoke("{\"x\":1}"))
                .isEqualTo(new MethodHandler.Result(201, "{\"got\": {\"x\":1}}"));
        assertThat(registrar.methods.get("hello").invoke(null)).isEqualTo(new MethodHandler.Result(200, "\"hello\""));
        assertThatThrownBy(() -> registrar.methods.get("bad").invoke("{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no such valve");

        camel.getRouteController().stopRoute("echo");
        assertThat(registrar.methods).doesNotContainKey("echo").containsKey("hello");
    }

    @Test
    void wrongUrisAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> routes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outpost:inputs/x").to("log:x");
            }
        })).hasStackTraceContaining("is not outpost:input/<name>, outpost:output/<name> or outpost:method/<name>");
    }
}
