/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.After;
import org.junit.Test;

/**
 * A bundle module's twin and direct methods, driven from the hub: the sample temperature filter (a typed twin: its
 * Metatype says {@code threshold} is a number) gets desired properties as configuration and reports what it uses;
 * a desired value of the wrong type is refused and reported; methods are answered by the module's handler; the twin
 * converges after the gateway was away, and reported patches made while the hub was away arrive combined.
 */
public class ModuleTwinIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = CloudPair.DEVICE;
    private static final String MODULE = "temperature-filter";

    private CloudPair pair;

    @After
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private JsonNode hubTwin() throws Exception {
        String out = pair.hub.shell("hub:twin " + DEVICE + " " + MODULE);
        return JSON.readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    }

    private JsonNode reportedAtHub() throws Exception {
        return hubTwin().path("reported");
    }

    @Test
    public void theHubDrivesAModuleTwinAndItsMethods() throws Exception {
        pair = CloudPair.start(Map.of());
        pair.gateway.awaitLog("Twin " + DEVICE + "/" + MODULE + " connected", Duration.ofSeconds(60));
        // Twin changes of modules go upstream as /twinChangeNotifications messages.
        pair.hub.shell("hub:twin-set --replace -m '$edgeHub' " + DEVICE + " '{\"schemaVersion\": \"1.1\", \"routes\":"
                + " {\"twins\": \"FROM /twinChangeNotifications INTO $upstream\", \"alerts\":"
                + " \"FROM /messages/modules/temperature-filter/outputs/* INTO $upstream\"}}'");

        // The module reports the threshold it starts with.
        await("the module's first report").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> reportedAtHub().path("threshold").asDouble() == 25.0);

        assertThat(pair.hub.shell("hub:twin-set -m " + MODULE + " " + DEVICE + " '{\"threshold\": 31.5}'"))
                .contains("at version 2");
        await("the module uses the new threshold").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> reportedAtHub().path("threshold").asDouble() == 31.5);
        assertThat(reportedAtHub().path("outpost").path("lastDesiredStatus").path("code").asInt()).isEqualTo(200);

        // A desired value of the wrong type never reaches the module; the hub hears why.
        pair.hub.shell("hub:twin-set -m " + MODULE + " " + DEVICE + " '{\"threshold\": \"hot\"}'");
        await("the refusal is reported").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> reportedAtHub().path("outpost").path("lastDesiredVersion").asLong() == 3);
        JsonNode refused = reportedAtHub();
        assertThat(refused.path("outpost").path("lastDesiredStatus").path("code").asInt()).isEqualTo(400);
        assertThat(refused.path("outpost").path("lastDesiredStatus").path("description").asText())
                .startsWith("desired.threshold: \"hot\" is not a number");
        assertThat(refused.path("threshold").asDouble()).as("the module keeps what it had").isEqualTo(31.5);
        assertThat(pair.gateway.shell("edge:twin")).containsPattern(
                MODULE + "\\s*\\|\\s*3\\s*\\|\\s*3\\s*\\|\\s*400 desired.threshold");

        // Direct methods are answered by the module's handler; an unknown one is 501.
        assertThat(pair.hub.shell("hub:invoke -m " + MODULE + " " + DEVICE + " stats"))
                .contains("Status: 200", "\"threshold\" : 31.5", "\"readings\"");
        assertThat(pair.hub.shell("hub:invoke -m " + MODULE + " " + DEVICE + " reboot"))
                .contains("Status: 501", "module 'temperature-filter' has no method 'reboot'");

        // Reported properties patched on the gateway reach the hub, and the router as a twin change notification.
        assertThat(pair.gateway.shell("edge:twin-report " + MODULE + " '{\"firmware\": \"1.2\"}'"))
                .contains("Reported properties of temperature-filter patched");
        await("the report at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "1.2".equals(reportedAtHub().path("firmware").asText()));
        await("the twin change notification upstream").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> pair.hub.shell("hub:telemetry -d " + DEVICE).contains("firmware"));
        String refusedPatch;
        try {
            refusedPatch = pair.gateway.shell("edge:twin-report " + MODULE + " '{\"a$b\": 1}'");
        } catch (java.io.IOException e) {
            refusedPatch = e.getMessage();
        }
        assertThat(refusedPatch).contains("reported.a$b");

        // The gateway is away while the desired threshold changes twice: it converges to the latest.
        pair.gateway.stop();
        pair.hub.shell("hub:twin-set -m " + MODULE + " " + DEVICE + " '{\"threshold\": 40}'");
        pair.hub.shell("hub:twin-set -m " + MODULE + " " + DEVICE + " '{\"threshold\": 41}'");
        // A cloud-to-device message for the module's input waits at the hub meanwhile (beyond IoT Hub, which sends
        // them to devices only); the module turns it into an alert, which comes back as telemetry.
        assertThat(pair.hub.shell("hub:c2d -m " + MODULE + " -i input1 " + DEVICE
                + " '{\"machine\": {\"temperature\": 99.25}}'")).contains("queued for " + DEVICE + " (1 waiting)");
        pair.gateway.start();
        await("the module at the latest desired threshold").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> reportedAtHub().path("threshold").asDouble() == 41.0
                        && reportedAtHub().path("outpost").path("lastDesiredVersion").asLong() == 5);
        await("the alert made from the cloud-to-device message").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).until(() -> pair.hub.shell("hub:telemetry -d " + DEVICE)
                        .contains("99.25"));

        // The hub is away while the module reports twice: the hub gets both, combined, when it is back.
        pair.hub.stop();
        pair.gateway.shell("edge:twin-report " + MODULE + " '{\"offline\": 1}'");
        pair.gateway.shell("edge:twin-report " + MODULE + " '{\"offline\": 2, \"firmware\": null}'");
        assertThat(pair.gateway.shell("edge:twin " + MODULE)).contains("\"offline\" : 2");
        pair.hub.start();
        await("the offline reports at the hub").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    JsonNode r = reportedAtHub();
                    return r.path("offline").asInt() == 2 && !r.has("firmware");
                });
    }
}
