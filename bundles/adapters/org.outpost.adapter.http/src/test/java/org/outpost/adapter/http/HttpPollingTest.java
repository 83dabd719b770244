/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A timer-driven route polls a real HTTP server (the JDK's) through camel-http and sees its answers change. */
class HttpPollingTest {

    private HttpServer server;
    private final AtomicReference<String> document = new AtomicReference<>("{\"level\": 1}");
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/status", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " " + exchange.getRequestHeaders().getFirst("Accept"));
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        server.stop(0);
    }

    @Test
    void thePolledDocumentFollowsTheServer() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/status?site=a";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:poll?period=100")
                        .setHeader("Accept", constant("application/json"))
                        .to(url)
                        .process(e -> bodies.add(e.getMessage().getBody(String.class)));
            }
        });
        camel.start();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bodies).contains("{\"level\": 1}"));
        assertThat(requests.get(0)).isEqualTo("GET /status?site=a application/json");

        document.set("{\"level\": 2}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bodies).contains("{\"level\": 2}"));
    }

    @Test
    void anErrorStatusFailsTheExchange() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing";
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(e -> failures.add(
                        e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class)));
                from("timer:poll?repeatCount=1").to(url);
            }
        });
        camel.start();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failures).isNotEmpty());
        assertThat(failures.get(0)).hasMessageContaining("statusCode: 404");
    }

    /** The gateway's samples/routes/http-poller.camel.yaml with its placeholders set ({@code outpost:} as seda). */
    @Test
    void theSamplePollsAndSendsTheBodyWithItsSource() throws Exception {
        Path sample = Path.of("../../../karaf-distribution/gateway/src/main/resources/samples/routes/"
                + "http-poller.camel.yaml").toAbsolutePath().normalize();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/status";
        Properties config = new Properties();
        config.put("http.url", url);
        config.put("http.period", "100");
        camel.getPropertiesComponent().setInitialProperties(config);
        camel.addComponent("outpost", new SedaComponent());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + sample));
        camel.start();

        Exchange first = camel.createConsumerTemplate().receive("outpost:output/readings", 10_000);
        assertThat(first).isNotNull();
        assertThat(first.getMessage().getBody(String.class)).isEqualTo("{\"level\": 1}");
        assertThat(first.getMessage().getHeaders()).containsOnlyKeys("source");
        assertThat(first.getMessage().getHeader("source")).isEqualTo(url);
        assertThat(requests.get(0)).isEqualTo("GET /status application/json");
    }
}
