/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.component.paho.PahoConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** camel-paho against a real Mosquitto on a free loopback port: what a route publishes, a subscribing route gets. */
class PahoBridgeTest {

    @TempDir
    Path dir;
    private Process mosquitto;
    private int port;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "persistence false\nuser " + System.getProperty("user.name") + "\nlog_dest stderr\n");
        mosquitto = new ProcessBuilder(mosquittoBinary(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await("Mosquitto listening on " + port).atMost(Duration.ofSeconds(20)).until(this::listening);
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        mosquitto.destroy();
        await().atMost(Duration.ofSeconds(20)).until(() -> !mosquitto.isAlive());
    }

    @Test
    void aSubscribingRouteGetsWhatAnotherPublishes() throws Exception {
        String broker = "brokerUrl=tcp://127.0.0.1:" + port + "&qos=1";
        List<String> received = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("paho:plant/+/temperature?clientId=bridge-in&" + broker)
                        .process(e -> received.add(e.getMessage().getHeader(PahoConstants.MQTT_TOPIC, String.class)
                                + " " + e.getMessage().getBody(String.class)));
                from("direct:publish").toD("paho:plant/${header.line}/temperature?clientId=bridge-out&" + broker);
            }
        });
        camel.start();

        // The subscription is made when the consumer starts; publish until the first message arrives.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            camel.createProducerTemplate().sendBodyAndHeader("direct:publish", "21.5", "line", "a");
            return !received.isEmpty();
        });
        camel.createProducerTemplate().sendBodyAndHeader("direct:publish", "22.0", "line", "b");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received)
                .contains("plant/a/temperature 21.5", "plant/b/temperature 22.0"));
    }

    /** The gateway's samples/routes/mqtt-bridge.camel.yaml with its placeholders set ({@code outpost:} as seda). */
    @Test
    void theSampleBridgesBothWays() throws Exception {
        Path sample = Path.of("../../../karaf-distribution/gateway/src/main/resources/samples/routes/"
                + "mqtt-bridge.camel.yaml").toAbsolutePath().normalize();
        String broker = "tcp://127.0.0.1:" + port;
        Properties config = new Properties();
        config.put("mqtt.broker", broker);
        camel.getPropertiesComponent().setInitialProperties(config);
        camel.addComponent("outpost", new SedaComponent());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + sample));
        List<String> commands = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("paho:plant/commands?clientId=plc&brokerUrl=" + broker)
                        .process(e -> commands.add(e.getMessage().getBody(String.class)));
            }
        });
        camel.start();

        // In: a device publishes on plant/<line>/telemetry (until the bridge's subscription is up).
        AtomicReference<Exchange> in = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            camel.createProducerTemplate().sendBody("paho:plant/line1/telemetry?clientId=device&brokerUrl=" + broker,
                    "{\"t\":21}");
            in.set(camel.createConsumerTemplate().receiveNoWait("outpost:output/mqtt"));
            return in.get() != null;
        });
        assertThat(in.get().getMessage().getBody(String.class)).isEqualTo("{\"t\":21}");
        assertThat(in.get().getMessage().getHeader("topic")).isEqualTo("plant/line1/telemetry");
        assertThat(in.get().getMessage().getHeaders().keySet()).noneMatch(h -> h.startsWith("Camel"));

        // Out: what comes to the module's input "commands" is published on plant/commands.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            camel.createProducerTemplate().sendBody("outpost:input/commands", "stop");
            return commands.contains("stop");
        });
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String mosquittoBinary() {
        for (String p : new String[] {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        throw new IllegalStateException("mosquitto is not installed: apt-get install mosquitto (.ci/run does)");
    }
}
