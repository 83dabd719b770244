/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.outpost.itests.CloudPair;
import org.outpost.itests.GatewayProcess;

/**
 * A hub and gateways in layers, each the real distribution in its own process: the hub's IoT Hub endpoint over TLS
 * (its certificate names outpost-hub.local, localhost and 127.0.0.1), devices registered with
 * {@code hub:device-create --parent <gateway> --json <id>}, gateways whose twins and upstream point at the hub or at
 * their parent gateway's endpoint, trusting its CA ({@code edge:ca}). Everything is killed by process id on
 * {@link #close}.
 */
final class Layers implements AutoCloseable {

    /** The hub's name, which SAS tokens and the SDK's connection strings name ({@code HostName}). */
    static final String HUB_HOST = "outpost-hub.local";
    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

    final Path base;
    final GatewayProcess hub;
    /** The hub's IoT Hub endpoint over TLS, where the top gateways connect. */
    final int hubTlsPort;
    /** The hub's certificate (PEM), for the top gateways to trust. */
    final Path hubCa;
    /** The hub's broker's MQTT port (IoT Hub's "1884"), where top gateways' upstream drains may publish. */
    final int hubBrokerPort;
    private final List<GatewayProcess> gateways = new CopyOnWriteArrayList<>();

    private Layers(Path base, GatewayProcess hub, int hubTlsPort, Path hubCa, int hubBrokerPort) {
        this.base = base;
        this.hub = hub;
        this.hubTlsPort = hubTlsPort;
        this.hubCa = hubCa;
        this.hubBrokerPort = hubBrokerPort;
    }

    /**
     * Starts a hub whose IoT Hub endpoint has TLS on a free port (never 8883: the SDK needs that one for the
     * gateway it connects to), and waits for its shell.
     */
    static Layers startHub(String name) throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        GatewayProcess hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, name + "-hub"));
        try {
            Path ca = CloudPair.hubKeyStore(hub);
            int tls = GatewayProcess.freePort();
            int broker = GatewayProcess.freePort();
            hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(broker)));
            hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(GatewayProcess.freePort()),
                    "tls.port", Integer.toString(tls), "tls.keystore.password", CloudPair.KEYSTORE_PASSWORD));
            hub.start();
            Layers layers = new Layers(base, hub, tls, ca, broker);
            layers.awaitHub(1);
            return layers;
        } catch (Exception | AssertionError e) {
            hub.close();
            throw e;
        }
    }

    /** @return where the top gateways' twins reach the hub: its IoT Hub endpoint, over TLS */
    String hubUrl() {
        return "ssl://127.0.0.1:" + hubTlsPort;
    }

    /**
     * @return where the top gateways' upstream drains reach the hub: its IoT Hub endpoint over TLS, as the demo and
     *         {@code CloudPair} configure gateways (which also brings the gateway's cloud-to-device messages), or,
     *         with {@code -Doutpost.itests.upstream=broker}, the hub's broker's MQTT port (loopback). On either, a
     *         gateway may publish under {@code devices/<d>/} for itself and every device below it.
     */
    String hubUpstreamUrl() {
        return "broker".equals(System.getProperty("outpost.itests.upstream")) ? "tcp://127.0.0.1:" + hubBrokerPort
                : hubUrl();
    }

    /** @return where child gateways reach a gateway's endpoint listening on {@code port} */
    static String endpointUrl(int port) {
        return "ssl://127.0.0.1:" + port;
    }

    /**
     * Waits until the hub's IoT Hub endpoint has started {@code times} times (its log says so each time) and its
     * shell answers.
     */
    void awaitHub(int times) {
        awaitLogCount(hub, "with TLS on /127.0.0.1:" + hubTlsPort, times, Duration.ofSeconds(120));
        await("the hub's shell").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("hub:devices"), out -> true);
    }

    /** Stops the hub (SIGTERM, as an operator would); {@link #restartHub} brings it back. */
    void stopHub() {
        hub.stop();
    }

    /** Starts the stopped hub again and waits until it serves. */
    void restartHub() throws IOException {
        int before = count(hub, "with TLS on /127.0.0.1:" + hubTlsPort);
        hub.start();
        awaitHub(before + 1);
    }

    /**
     * Registers a device at the hub, the way: {@code hub:device-create --parent <parent> --json <id>}.
     *
     * @param parent its parent gateway, or null for none
     * @param tagsJson its tags (a JSON object), or null
     * @return its key, from the command's JSON
     */
    String device(String id, String parent, String tagsJson) throws Exception {
        String created = hub.shell("hub:device-create --json" + (parent == null ? "" : " --parent " + parent)
                + (tagsJson == null ? "" : " --tags '" + tagsJson + "'") + " " + id);
        Matcher key = KEY.matcher(created);
        if (!key.find()) {
            throw new AssertionError("hub:device-create --parent " + parent + " --json " + id
                    + " printed no \"key\": " + created);
        }
        return key.group(1);
    }

    /** Registers a device authenticated by its X.509 certificate's SHA-256 thumbprint, below {@code parent}. */
    void x509Device(String id, String parent, String thumbprint) throws Exception {
        String out = hub.shell("hub:device-create --parent " + parent + " --thumbprint " + thumbprint + " " + id);
        if (!out.contains(id)) {
            throw new AssertionError("hub:device-create --parent " + parent + " --thumbprint ... " + id
                    + " did not register it: " + out);
        }
    }

    /** As {@link #gateway(String, String, String, String, Path, int, Map)}, a top gateway: below the hub. */
    GatewayProcess topGateway(String id, String key, int endpointPort, Map<String, Map<String, String>> extra)
            throws Exception {
        return gateway(id, key, hubUrl(), hubUpstreamUrl(), hubCa, endpointPort, extra);
    }

    /**
     * As {@link #gateway(String, String, String, String, Path, int, Map)}, a gateway below a parent gateway whose
     * endpoint listens on {@code parentPort}: twins and upstream there, trusting the parent's CA.
     */
    GatewayProcess childGateway(String id, String key, int parentPort, Path parentCa, int endpointPort,
            Map<String, Map<String, String>> extra) throws Exception {
        return gateway(id, key, endpointUrl(parentPort), endpointUrl(parentPort), parentCa, endpointPort, extra);
    }

    /**
     * Unpacks a gateway, configured as device {@code id} with its key in the secrets file, its twins at
     * {@code url} and its upstream at {@code upstreamUrl}, trusting {@code caPem} (the hub's certificate, or its
     * parent gateway's CA from {@code edge:ca}), and its own endpoint's TLS on {@code endpointPort}. MQTT over WebSockets is off unless
     * {@code extra} turns it on (gateways on one machine cannot all have port 443). Not started.
     *
     * @param extra further configuration, PID to properties (they win over the ones set here)
     */
    GatewayProcess gateway(String id, String key, String url, String upstreamUrl, Path caPem, int endpointPort,
            Map<String, Map<String, String>> extra) throws Exception {
        GatewayProcess g = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                Files.createTempDirectory(base, "layers-" + id));
        gateways.add(g);
        Files.copy(caPem, g.home().resolve("etc/upstream-ca.pem"));
        g.config("org.outpost.runtime", Map.of("device.id", id));
        Map<String, String> endpoint = new LinkedHashMap<>(Map.of("tls.port", Integer.toString(endpointPort),
                "websocket.port", "-1"));
        endpoint.putAll(extra.getOrDefault("org.outpost.edgehub", Map.of()));
        g.config("org.outpost.edgehub", endpoint);
        CloudPair.writeSecrets(g.home(), key);
        g.config("org.outpost.twin", Map.of("url", url, "tls.ca", "upstream-ca.pem"));
        g.config("org.outpost.upstream", Map.of("url", upstreamUrl, "reconnect.max.ms", "2000", "tls.ca",
                "upstream-ca.pem"));
        for (Map.Entry<String, Map<String, String>> c : extra.entrySet()) {
            if (!c.getKey().equals("org.outpost.edgehub")) {
                g.config(c.getKey(), c.getValue());
            }
        }
        return g;
    }

    /**
     * Waits until a started gateway's {@code $edgeAgent} twin has connected {@code times} times (to the hub, or
     * through its parent) and its shell answers.
     */
    static void awaitGateway(GatewayProcess g, String id, int times) {
        awaitLogCount(g, "Twin " + id + "/$edgeAgent connected", times, Duration.ofSeconds(150));
        await(id + "'s shell").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> g.shell("edge:list"), out -> true);
    }

    /** Stops a gateway (SIGTERM), starts it again and waits until its twins are connected again. */
    static void restartGateway(GatewayProcess g, String id) throws IOException {
        int before = count(g, "Twin " + id + "/$edgeAgent connected");
        g.stop();
        g.start();
        awaitGateway(g, id, before + 1);
    }

    /**
     * @return the gateway's CA certificate as {@code edge:ca} prints it, also written to a file
     */
    Path ca(GatewayProcess g, String id) throws Exception {
        String pem = await(id + "'s CA (edge:ca)").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> g.shell("edge:ca"), out -> out.contains("END CERTIFICATE"));
        Path file = base.resolve(id + "-ca-" + System.nanoTime() + ".pem");
        Files.writeString(file, pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----")));
        return file;
    }

    /**
     * @return the lines of the hub's telemetry log ({@code data/log/telemetry.log}: {@code <time> <device>/<module or
     *         -> {properties} body}) that the hub attributed to this device (and module, or null for the device's
     *         own messages)
     */
    List<String> telemetry(String device, String module) throws IOException {
        Path log = hub.home().resolve("data/log/telemetry.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        String sender = " " + device + "/" + (module == null ? "-" : module) + " ";
        return Files.readAllLines(log).stream().filter(l -> l.contains(sender)).toList();
    }

    /** @return every line of the hub's telemetry log */
    List<String> telemetry() throws IOException {
        Path log = hub.home().resolve("data/log/telemetry.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /**
     * @return the numbers {@code "<field>": <n>} of these lines, each once, in the order they first appear
     *         (a message sent again after a lost acknowledgement may arrive twice: at-least-once)
     */
    static List<Integer> numbers(List<String> lines, String field) {
        Pattern p = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\\d+)");
        LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
        }
        return new ArrayList<>(seen);
    }

    /** @return from..to */
    static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    /** @return how often the process's log holds {@code text} */
    static int count(GatewayProcess p, String text) throws IOException {
        Path log = p.home().resolve("data/log/karaf.log");
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readString(log).split(Pattern.quote(text), -1).length - 1;
    }

    /** Waits until the process's log holds {@code text} at least {@code times} times. */
    static void awaitLogCount(GatewayProcess p, String text, int times, Duration timeout) {
        await("'" + text + "' " + times + " time(s) in " + p.home().resolve("data/log/karaf.log"))
                .atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> count(p, text) >= times);
    }

    /** @return what a command printed, or what went wrong: for failure messages */
    static String diagnose(GatewayProcess p, String command) {
        try {
            return command + ":\n" + p.shell(command);
        } catch (Exception e) {
            return command + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        for (GatewayProcess g : gateways) {
            g.close();
        }
        hub.close();
    }
}
