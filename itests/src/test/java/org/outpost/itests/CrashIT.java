/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Power-cut test: a module sends at a steady rate while the gateway is killed with SIGKILL, again and again. Every
 * message the gateway acknowledged to the module must reach the cloud (a real Mosquitto) at least once; duplicates are
 * allowed (at-least-once) and reported. Cycles: {@code -Doutpost.crash.cycles=N} (default 5).
 */
public class CrashIT {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final String VERSION = System.getProperty("outpost.version", "0.1.0-SNAPSHOT");

    private Mosquitto cloud;
    private CloudSubscriber subscriber;
    private GatewayProcess gateway;

    @Before
    public void setUp() throws Exception {
        int port = GatewayProcess.freePort();
        cloud = new Mosquitto(port).start();
        subscriber = new CloudSubscriber(port, "crash-test-cloud");
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath()
                .getParent(), "crash");
        gateway = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")), dir);
        gateway.config("org.outpost.upstream", Map.of("url", "tcp://127.0.0.1:" + port, "reconnect.max.ms", "1000"));
        gateway.routes(Map.of("load",
                "FROM /messages/modules/load-generator/* INTO $upstream"));
        gateway.config("org.outpost.samples.load", Map.of("rate", "200", "size", "256", "record.acked", "true"));
        Path jar = gateway.home().resolve("system/org/outpost/load-generator/" + VERSION + "/load-generator-"
                + VERSION + ".jar");
        Files.copy(jar, gateway.home().resolve("deploy/load-generator.jar"));
    }

    @After
    public void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (subscriber != null) {
            subscriber.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    public void everyAcknowledgedMessageReachesTheCloudAcrossKills() throws Exception {
        int cycles = Integer.getInteger("outpost.crash.cycles", 5);
        Path acked = gateway.home().resolve("data/load-generator/acked");
        for (int cycle = 1; cycle <= cycles; cycle++) {
            int before = ackedSeqs(acked).size();
            gateway.start();
            // Kill at a random point once the module has had a few hundred messages acknowledged in this run.
            int more = ThreadLocalRandom.current().nextInt(100, 400);
            await("cycle " + cycle + ": " + more + " more acknowledged messages").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50)).until(() -> ackedSeqs(acked).size() >= before + more);
            gateway.kill();
        }
        // The last start drains what the kills left queued.
        gateway.start();
        Set<Long> acknowledged = ackedSeqs(acked);
        await("every acknowledged message at the cloud").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> received().keySet().containsAll(acknowledged));
        Map<Long, Integer> received = received();
        long duplicates = received.values().stream().mapToLong(n -> n - 1).sum();
        Set<Long> lost = new TreeSet<>(acknowledged);
        lost.removeAll(received.keySet());
        System.out.printf("Crash test: %d kills, %d messages acknowledged to the module, %d distinct at the cloud,"
                + " %d lost, %d duplicates%n", cycles, acknowledged.size(), received.size(), lost.size(), duplicates);
        assertThat(lost).as("acknowledged messages that never reached the cloud").isEmpty();
    }

    /** @return the sequence numbers the gateway acknowledged to the module, across all runs */
    private static Set<Long> ackedSeqs(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Set.of();
        }
        String text = Files.readString(file);
        // A kill can cut the last line short: only lines ended by a newline were recorded whole.
        List<String> lines = List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n"));
        Set<Long> out = new TreeSet<>();
        for (String line : lines) {
            if (!line.isEmpty()) {
                out.add(Long.parseLong(line));
            }
        }
        return out;
    }

    /** @return how many times the cloud got each sequence number */
    private Map<Long, Integer> received() {
        Map<Long, Integer> out = new HashMap<>();
        for (CloudSubscriber.Received r : subscriber.from("load-generator")) {
            Matcher m = SEQ.matcher(r.body());
            if (m.find()) {
                out.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
            }
        }
        return out;
    }
}
