/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub and a gateway, each the real distribution in its own process, the gateway registered at the hub and connected
 * to its IoT Hub endpoint (twins, methods and telemetry, with SAS tokens made from its key).
 */
public final class CloudPair implements AutoCloseable {

    public static final String DEVICE = "outpost-gateway";

    public final GatewayProcess hub;
    public final GatewayProcess gateway;
    public final int iothubPort;
    public final String key;

    private CloudPair(GatewayProcess hub, GatewayProcess gateway, int iothubPort, String key) {
        this.hub = hub;
        this.gateway = gateway;
        this.iothubPort = iothubPort;
        this.key = key;
    }

    /** Starts the hub, registers {@value #DEVICE}, and starts the gateway with the given extra configurations. */
    public static CloudPair start(Map<String, Map<String, String>> gatewayConfig) throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        GatewayProcess hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "cloud-hub"));
        GatewayProcess gateway = null;
        try {
            int iothub = GatewayProcess.freePort();
            hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
            hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(iothub)));
            hub.start();
            String created = await("the hub's shell").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> hub.shell("hub:device-create --json " + DEVICE), o -> o.contains("\"key\""));
            Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
            assertThat(key.find()).isTrue();

            gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                    Files.createTempDirectory(base, "cloud-gateway"));
            gateway.config("org.outpost.twin", Map.of("url", "tcp://127.0.0.1:" + iothub, "key", key.group(1)));
            gateway.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + iothub, "sas.key",
                    key.group(1), "reconnect.max.ms", "2000"));
            for (Map.Entry<String, Map<String, String>> c : gatewayConfig.entrySet()) {
                gateway.config(c.getKey(), c.getValue());
            }
            gateway.start();
            gateway.awaitLog("Twin " + DEVICE + "/$edgeAgent connected", Duration.ofSeconds(120));
            return new CloudPair(hub, gateway, iothub, key.group(1));
        } catch (Exception | AssertionError e) {
            if (gateway != null) {
                gateway.close();
            }
            hub.close();
            throw e;
        }
    }

    @Override
    public void close() {
        gateway.close();
        hub.close();
    }
}
