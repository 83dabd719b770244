/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.adapter.opcua.simulator.OpcUaSimulator;

/**
 * The sample route module samples/routes/opcua-reader.camel.yaml, loaded by Camel's YAML DSL with its endpoint
 * placeholder set to a simulator, sends each tag change as {"tag":..,"value":..,"sourceTime":..} to
 * outpost:output/telemetry (here a recording stand-in for the outpost component).
 */
class SampleRouteTest {

    static final Path SAMPLE = Path.of("../../../karaf-distribution/gateway/src/main/resources/samples/routes/"
            + "opcua-reader.camel.yaml");
    private static final Pattern JSON = Pattern.compile(
            "\\{\"tag\":\"(\\w+)\",\"value\":([-0-9.E]+),\"sourceTime\":\"([^\"]+)\"\\}");

    private OpcUaSimulator simulator;
    private DefaultCamelContext camel;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void sampleSendsEachTagChangeAsJsonToTheTelemetryOutput() throws Exception {
        assertThat(SAMPLE).exists();
        int port = FreePort.find();
        simulator = OpcUaSimulator.start(OpcUaSimulator.settings().port(port).interval(Duration.ofMillis(100)));
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> endpoints = new CopyOnWriteArrayList<>();
        camel = new DefaultCamelContext();
        Properties settings = new Properties();
        settings.setProperty("opcua.endpoint", "opc.tcp://127.0.0.1:" + port);
        settings.setProperty("opcua.samplingInterval", "50");
        camel.getPropertiesComponent().setInitialProperties(settings);
        camel.addComponent("outpost", new Recording(sent, endpoints));
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel,
                "file:" + SAMPLE.toAbsolutePath().normalize()));
        camel.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String tag : List.of("Temperature", "Pressure", "Counter")) {
                assertThat(sent.stream().map(SampleRouteTest::parse).filter(m -> m.group(1).equals(tag))
                        .map(m -> m.group(2)).distinct().count()).as(tag + " values").isGreaterThanOrEqualTo(3);
            }
        });
        assertThat(endpoints).containsOnly("outpost://output/telemetry");
        Instant start = Instant.now().minusSeconds(60);
        assertThat(sent).allSatisfy(json -> {
            Matcher m = parse(json);
            assertThat(Instant.parse(m.group(3))).isAfter(start).isBefore(Instant.now().plusSeconds(1));
            if (m.group(1).equals("Temperature")) {
                assertThat(Double.parseDouble(m.group(2))).isBetween(15.0, 25.0);
            }
        });
    }

    @Test
    void sampleNamesOnlyComponentsTheGatewayHas() throws Exception {
        String text = Files.readString(SAMPLE);
        assertThat(Pattern.compile("(?m)(?:uri|to): \"?([a-z-]+):").matcher(text).results().map(r -> r.group(1))
                .distinct()).containsExactlyInAnyOrder("milo-client", "direct", "outpost");
    }

    private static Matcher parse(String json) {
        Matcher m = JSON.matcher(json);
        assertThat(m.matches()).as("JSON %s", json).isTrue();
        return m;
    }

    /** Stands in for the outpost component: records what is sent to outpost:output/... and the endpoint URIs. */
    private static final class Recording extends DefaultComponent {
        private final List<String> sent;
        private final List<String> endpoints;

        Recording(List<String> sent, List<String> endpoints) {
            this.sent = sent;
            this.endpoints = endpoints;
        }

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            endpoints.add(uri);
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        public void process(Exchange exchange) {
                            sent.add(exchange.getMessage().getBody(String.class));
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException("outpost stand-in: producer only");
                }
            };
        }
    }
}
