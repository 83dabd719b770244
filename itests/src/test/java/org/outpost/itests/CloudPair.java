/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub and a gateway, each the real distribution in its own process, the gateway registered at the hub and connected
 * to its IoT Hub endpoint (twins, methods and telemetry, with SAS tokens made from its key). Used by tests and by
 * benchmarks (so it uses no test library).
 */
public final class CloudPair implements AutoCloseable {

    public static final String DEVICE = "outpost-gateway";
    /** Password of the key stores the tests make. */
    public static final String KEYSTORE_PASSWORD = "outpost-test";

    public final GatewayProcess hub;
    public final GatewayProcess gateway;
    public final int iothubPort;
    public final String key;
    /** Where gateways reach the hub's IoT Hub endpoint. */
    private final String url;
    /** The hub's certificate, for gateways to trust, or null without TLS. */
    private final Path certificate;
    private final java.util.List<GatewayProcess> more = new java.util.concurrent.CopyOnWriteArrayList<>();

    private CloudPair(GatewayProcess hub, GatewayProcess gateway, int iothubPort, String key, String url,
            Path certificate) {
        this.hub = hub;
        this.gateway = gateway;
        this.iothubPort = iothubPort;
        this.key = key;
        this.url = url;
        this.certificate = certificate;
    }

    /** Starts the hub, registers {@value #DEVICE}, and starts the gateway with the given extra configurations. */
    public static CloudPair start(Map<String, Map<String, String>> gatewayConfig) throws Exception {
        return start(gatewayConfig, false);
    }

    /**
     * As {@link #start(Map)}; with {@code tls}, the gateway reaches the hub over TLS only: the hub gets a key store
     * made with keytool (a self-signed certificate for 127.0.0.1), the gateway that certificate to trust.
     */
    public static CloudPair start(Map<String, Map<String, String>> gatewayConfig, boolean tls) throws Exception {
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        GatewayProcess hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "cloud-hub"));
        GatewayProcess gateway = null;
        try {
            int iothub = GatewayProcess.freePort();
            hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
            int tlsPort = GatewayProcess.freePort();
            Path certificate = tls ? hubKeyStore(hub) : null;
            if (tls) {
                hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(iothub), "tls.port",
                        Integer.toString(tlsPort), "tls.keystore.password", KEYSTORE_PASSWORD));
            } else {
                hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(iothub), "tls.port", "-1"));
            }
            hub.start();
            String key = await("the hub's shell").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> register(hub, DEVICE, null), k -> true);
            String url = tls ? "ssl://127.0.0.1:" + tlsPort : "tcp://127.0.0.1:" + iothub;
            gateway = gateway(base, DEVICE, key, url, certificate);
            for (Map.Entry<String, Map<String, String>> c : gatewayConfig.entrySet()) {
                gateway.config(c.getKey(), c.getValue());
            }
            gateway.start();
            gateway.awaitLog("Twin " + DEVICE + "/$edgeAgent connected", Duration.ofSeconds(120));
            GatewayProcess started = gateway;
            // The operator key (etc/operator.key) may come a moment after the twins connect.
            await("the gateway's shell").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> started.shell("edge:list"), out -> true);
            return new CloudPair(hub, gateway, iothub, key, url, certificate);
        } catch (Exception | AssertionError e) {
            if (gateway != null) {
                gateway.close();
            }
            hub.close();
            throw e;
        }
    }

    /**
     * Registers another gateway at the hub, with tags, and starts it (not waiting for it: see
     * {@link GatewayProcess#awaitLog}). It is stopped with the pair.
     *
     * @param tagsJson its tags, a JSON object, or null
     */
    public GatewayProcess addGateway(String deviceId, String tagsJson) throws Exception {
        String deviceKey = register(hub, deviceId, tagsJson);
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        GatewayProcess g = gateway(base, deviceId, deviceKey, url, certificate);
        more.add(g);
        g.start();
        return g;
    }

    /** @return the key of a device registered with {@code hub:device-create} */
    private static String register(GatewayProcess hub, String deviceId, String tagsJson) throws Exception {
        String created = hub.shell("hub:device-create --json" + (tagsJson == null ? "" : " --tags '" + tagsJson + "'")
                + " " + deviceId);
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!key.find()) {
            throw new IllegalStateException("hub:device-create printed no key: " + created);
        }
        return key.group(1);
    }

    /** Unpacks a gateway configured as the device, to reach the hub at {@code url}. */
    private static GatewayProcess gateway(Path base, String deviceId, String deviceKey, String url, Path certificate)
            throws Exception {
        GatewayProcess g = new GatewayProcess(Path.of(System.getProperty("outpost.distribution")),
                Files.createTempDirectory(base, "cloud-" + deviceId));
        String ca = "";
        if (certificate != null) {
            Files.copy(certificate, g.home().resolve("etc/hub-ca.pem"));
            ca = "hub-ca.pem";
        }
        g.config("org.outpost.runtime", Map.of("device.id", deviceId));
        // Gateways on one machine cannot all have IoT Edge's 8883, nor 443 for MQTT over WebSockets (a test that
        // needs one configures it).
        g.config("org.outpost.edgehub", Map.of("tls.port", Integer.toString(GatewayProcess.freePort()),
                "websocket.port", "-1"));
        // The device key in the gateway's owner-only secrets file, which the twins and the upstream read: the
        // configurations name no secret (docs/security.md, "Secrets at rest").
        writeSecrets(g.home(), deviceKey);
        g.config("org.outpost.twin", Map.of("url", url, "tls.ca", ca));
        g.config("org.outpost.upstream", Map.of("url", url, "reconnect.max.ms", "2000", "tls.ca", ca));
        return g;
    }

    /** Writes a gateway's {@code etc/outpost-secrets/gateway.properties} with its device key, owner-only. */
    public static void writeSecrets(Path gatewayHome, String deviceKey) throws java.io.IOException {
        Path folder = gatewayHome.resolve("etc/outpost-secrets");
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path file = folder.resolve("gateway.properties");
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "device.key = " + deviceKey + "\n");
    }

    /**
     * Gives a hub a TLS key store ({@code etc/hub-tls.p12}, password {@value #KEYSTORE_PASSWORD}): a self-signed
     * certificate for outpost-hub.local, localhost and 127.0.0.1.
     *
     * @return a PEM file of the certificate, for clients to trust
     */
    public static Path hubKeyStore(GatewayProcess hub) throws Exception {
        Path keystore = hub.home().resolve("etc/hub-tls.p12");
        keytool("-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD,
                "-dname", "CN=outpost-hub.local", "-ext", "san=dns:outpost-hub.local,dns:localhost,ip:127.0.0.1");
        Path certificate = hub.home().resolve("etc/hub-tls.crt");
        keytool("-exportcert", "-rfc", "-alias", "hub", "-keystore", keystore.toString(), "-storepass",
                KEYSTORE_PASSWORD, "-file", certificate.toString());
        return certificate;
    }

    /** Runs the JDK's keytool, failing with its output if it fails. */
    public static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    @Override
    public void close() {
        more.forEach(GatewayProcess::close);
        gateway.close();
        hub.close();
    }
}
