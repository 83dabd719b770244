/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.After;
import org.junit.Test;

/**
 * Message routing at the hub, end to end on the real distributions: the gateway's sensor readings reach the hub, a
 * route sends them to a webhook served by this test; while the webhook answers 503 they are kept in the hub's queue,
 * and once it answers 200 all of them arrive, in order, none lost; a route to a webhook that answers 400 fills that
 * endpoint's dead letters; messages that match no route go to the built-in endpoint, where a consumer group reads them
 * with an MQTT 5 shared subscription (mosquitto_sub). One gateway/hub pair.
 */
public class HubRoutingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENSOR = "$connectionModuleId = 'simulated-temperature-sensor' AND"
            + " is_defined(sequence)";

    private CloudPair pair;
    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(503);
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());

    @After
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void routedMessagesSurviveTheWebhookBeingDownPoisonGoesToDeadLettersAndAConsumerGroupReadsTheRest()
            throws Exception {
        pair = CloudPair.start(Map.of("org.outpost.samples.sensor", Map.of("interval.ms", "200")));
        GatewayProcess hub = pair.hub;
        hub.config("org.outpost.hub.routing", Map.of("retry.initial.ms", "200", "retry.max.ms", "1000",
                "max.attempts", "3", "batch.size", "20"));
        // Routing restarts with its configuration (and ingestion with it): go on once it has it. Read with config:list:
        // config:property-get -p writes the configuration back, and before fileinstall has read the file that is an
        // empty configuration saved over it.
        await("routing's configuration").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("config:list '(service.pid=org.outpost.hub.routing)'"),
                        out -> out.contains("retry.max.ms = 1000"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int code = status.get();
            if (code == 200) {
                JSON.readTree(body).forEach(received::add);
            }
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        server.createContext("/poison", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(400, -1);
            ex.close();
        });
        server.start();
        String hook = "http://127.0.0.1:" + server.getAddress().getPort();
        String api = "http://127.0.0.1:" + hub.httpPort() + "/api/routing";
        HttpClient http = HttpClient.newHttpClient();
        String token = token(hub);


        await("the routing API").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> put(http, token, api + "/endpoints/hook", "{\"type\": \"webhook\","
                        + " \"settings\": {\"url\": \"" + hook + "/ok\"}}").statusCode() == 200);
        assertThat(put(http, token, api + "/endpoints/poison", "{\"type\": \"webhook\", \"settings\": {\"url\": \""
                + hook + "/poison\", \"batch\": false}}").statusCode()).isEqualTo(200);
        HttpResponse<String> wrong = put(http, token, api + "/routes/bad", "{\"condition\": \"$body.t >\","
                + " \"endpoints\": [\"hook\"]}");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(400);
        assertThat(wrong.body()).contains("condition");
        String route = "{\"source\": \"DeviceMessages\", \"condition\": \"" + SENSOR + "\", \"endpoints\": [\"%s\"],"
                + " \"enabled\": true}";
        assertThat(put(http, token, api + "/routes/sensor", route.formatted("hook")).statusCode()).isEqualTo(200);
        assertThat(put(http, token, api + "/routes/poison", route.formatted("poison")).statusCode()).isEqualTo(200);

        // A consumer group of the built-in endpoint, made in the shell once the routes are there (so that what it gets
        // is what matches no route: the filter's alerts); its token is printed once.
        String added = await("the routing shell").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("hub:routes consumer-groups remove it\nhub:routes"
                        + " consumer-groups add it"), out -> out.contains("$share/it/outpost/events"));
        String[] lines = added.strip().split("\\R");
        String groupToken = lines[lines.length - 1].strip();

        // Down: the readings wait in the hub's queue, the failures counted.
        JsonNode down = await("readings kept while the webhook answers 503").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> get(http, token, api + "/endpoints/hook"),
                        e -> e.path("queued").asLong() >= 15 && e.path("failed").asLong() >= 2);
        assertThat(down.path("lastError").asText()).contains("answered 503");
        assertThat(received).isEmpty();

        // Up: all of them arrive, in order, none lost.
        status.set(200);
        await("the kept readings delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> received.size() >= down.path("queued").asLong());
        List<JsonNode> got;
        synchronized (received) {
            got = new ArrayList<>(received);
        }
        List<Long> sequences = got.stream().map(j -> j.path("sequence").asLong()).toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
        assertThat(sequences.get(sequences.size() - 1) - sequences.get(0)).as("no gap: %s", sequences)
                .isEqualTo(sequences.size() - 1);
        List<Long> readings = got.stream().map(j -> j.path("properties").path("sequence").asLong()).toList();
        assertThat(readings).as("the sensor's own order").isSorted();
        assertThat(got.get(0).path("systemProperties").path("connectionDeviceId").asText()).isEqualTo(
                CloudPair.DEVICE);

        // Poison: dead letters, with why.
        JsonNode poison = await("dead letters").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(http, token, api + "/endpoints/poison"), e -> e.path("deadLetters").asLong() >= 3);
        assertThat(poison.path("queued").asLong()).isLessThan(10);
        JsonNode dead = get(http, token, api + "/endpoints/poison/deadletters?limit=5");
        assertThat(dead.get(0).path("reason").asText()).contains("rejected", "answered 400");

        // The built-in endpoint: what matches no route (the filter's alerts), read by the consumer group.
        String brokerPort = Files.readAllLines(hub.home().resolve("etc/org.outpost.broker.cfg")).stream()
                .filter(l -> l.startsWith("mqtt.port")).map(l -> l.substring(l.indexOf('=') + 1).strip())
                .findFirst().orElseThrow();
        Process sub = new ProcessBuilder("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", brokerPort, "-i",
                "events-it-backend", "-u", "$events/it", "-P", groupToken, "-t", "$share/it/outpost/events", "-q", "1", "-C",
                "2", "-W", "90").redirectErrorStream(true).start();
        String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sub.waitFor()).as(out).isZero();
        JsonNode event = JSON.readTree(out.strip().split("\\R")[0]);
        assertThat(event.path("route").asText()).isEqualTo("$fallback");
        assertThat(event.path("systemProperties").path("connectionModuleId").asText()).isEqualTo(
                "temperature-filter");

        String table = hub.shell("hub:routes");
        assertThat(table).contains("sensor", "poison", "$fallback", "hook", "webhook", "events");
        assertThat(JSON.readTree(hub.shell("hub:routes --json")).path("routes").findValuesAsText("name"))
                .contains("sensor", "poison", "$fallback");
    }

    private static String token(GatewayProcess hub) throws Exception {
        Path tokenFile = hub.home().resolve("data/outpost/hub/api-token");
        await("the API token").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(tokenFile));
        return Files.readString(tokenFile).strip();
    }

    private static HttpResponse<String> put(HttpClient http, String token, String uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(HttpClient http, String token, String uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer "
                + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(uri + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
