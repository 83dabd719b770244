/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubTransportMessage;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.GetTwinCorrelatingMessageCallback;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateCorrelatingMessageCallback;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import org.junit.After;
import org.junit.Test;

/**
 * The official Azure IoT device SDK for Java (2.5.0, unmodified) as a device of the Outpost hub, over MQTT on TLS:
 * telemetry the hub stores, reading and patching its twin, a desired patch pushed from the hub, and a direct method
 * invoked from the hub.
 * <p>
 * The SDK insists on port 8883 (it has no setting for the port), on TLS with a certificate that names the host it
 * connects to, and on a host name with a dot in it. The test gives the hub a key store whose certificate names
 * {@code outpost-hub.local}, {@code localhost} and {@code 127.0.0.1}, and the SDK the connection string of a device
 * behind a gateway host name ({@code GatewayHostName=localhost}): it signs its SAS token for
 * {@code outpost-hub.local}, the hub's name, and connects to localhost:8883.
 */
public class IotHubSdkIT {

    private static final String DEVICE = "sdk-device";
    private static final String PASSWORD = CloudPair.KEYSTORE_PASSWORD;

    private GatewayProcess hub;
    private DeviceClient client;

    @After
    public void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    public void theAzureIotDeviceSdkWorksAgainstTheHub() throws Exception {
        try (ServerSocket probe = new ServerSocket(8883, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(probe.getLocalPort()).as("port 8883 must be free: the SDK connects to no other").isEqualTo(8883);
        }
        Path base = Path.of(System.getProperty("outpost.exam.dir", "target")).toAbsolutePath().getParent();
        hub = new GatewayProcess(Path.of(System.getProperty("outpost.hub.distribution")),
                Files.createTempDirectory(base, "sdk-hub"));
        Path certificate = CloudPair.hubKeyStore(hub);
        hub.config("org.outpost.broker", Map.of("mqtt.port", Integer.toString(GatewayProcess.freePort())));
        hub.config("org.outpost.hub.iothub", Map.of("port", Integer.toString(GatewayProcess.freePort()),
                "tls.port", "8883", "tls.keystore.password", PASSWORD));
        hub.start();
        hub.awaitLog("with TLS on /127.0.0.1:8883", Duration.ofSeconds(120));
        String created = await("the hub's shell").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> hub.shell("hub:device-create --json " + DEVICE),
                        o -> o.contains("\"key\""));
        Matcher key = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        assertThat(key.find()).isTrue();

        client = new DeviceClient("HostName=outpost-hub.local;DeviceId=" + DEVICE + ";SharedAccessKey=" + key.group(1)
                + ";GatewayHostName=localhost", IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(trusting(Files.readAllBytes(certificate))).build());
        client.open(false);

        // Telemetry, with an application property, stored by the hub.
        Message reading = new Message("{\"temperature\": 21.5}");
        reading.setContentType("application/json");
        reading.setContentEncoding("utf-8");
        reading.setProperty("site", "plant 1");
        client.sendEvent(reading);
        await("the reading at the hub").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> hub.shell("hub:telemetry -d " + DEVICE), out -> out.contains("21.5")
                        && out.contains("plant 1"));

        // Twin: read, patch reported, and a desired patch from the hub.
        BlockingQueue<Twin> desired = new LinkedBlockingQueue<>();
        client.subscribeToDesiredProperties((twin, context) -> desired.add(twin), null);
        Twin twin = twin(client);
        assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(1);
        TwinCollection reported = new TwinCollection();
        reported.put("firmware", "2.5.0");
        assertThat(reportedVersion(client, reported)).isEqualTo(2);
        assertThat(hub.shell("hub:twin " + DEVICE)).contains("\"firmware\" : \"2.5.0\"");

        assertThat(hub.shell("hub:twin-set " + DEVICE + " '{\"interval\": 5}'")).contains("at version 2");
        Twin patch = desired.poll(30, TimeUnit.SECONDS);
        assertThat(patch).as("the desired patch reached the SDK's callback").isNotNull();
        assertThat(patch.getDesiredProperties().getVersion()).isEqualTo(2);
        assertThat(((Number) patch.getDesiredProperties().get("interval")).intValue()).isEqualTo(5);
        assertThat(twin(client).getReportedProperties().get("firmware")).isEqualTo("2.5.0");

        // A direct method invoked from the hub, answered by the SDK's callback.
        client.subscribeToMethods((method, payload, context) -> "echo".equals(method)
                ? new DirectMethodResponse(200, Map.of("echo", payload.getPayloadAsJsonString()))
                : new DirectMethodResponse(404, null), null);
        assertThat(hub.shell("hub:invoke " + DEVICE + " echo '{\"n\": 7}'")).contains("Status: 200", "echo",
                "\\\"n\\\":7");

        // A device that authenticates with its X.509 certificate (registered by thumbprint), and one whose
        // certificate is not the registered one.
        Path deviceStore = base.resolve("x509-device-" + System.nanoTime() + ".p12");
        Path otherStore = base.resolve("x509-other-" + System.nanoTime() + ".p12");
        for (Path p : new Path[] {deviceStore, otherStore}) {
            CloudPair.keytool("-genkeypair", "-alias", "device", "-keyalg",
                    "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p.toString(), "-storepass", PASSWORD,
                    "-dname", "CN=x509-device");
        }
        KeyStore deviceKeys = KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(deviceStore)) {
            deviceKeys.load(in, PASSWORD.toCharArray());
        }
        String thumbprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(deviceKeys.getCertificate("device").getEncoded()));
        assertThat(hub.shell("hub:device-create --thumbprint " + thumbprint + " x509-device"))
                .contains("Device 'x509-device' registered");
        String x509 = "HostName=outpost-hub.local;DeviceId=x509-device;x509=true;GatewayHostName=localhost";
        DeviceClient certified = new DeviceClient(x509, IotHubClientProtocol.MQTT, ClientOptions.builder()
                .sslContext(withKey(Files.readAllBytes(certificate), deviceStore)).build());
        try {
            certified.open(false);
            certified.sendEvent(new Message("{\"certified\": true}"));
        } finally {
            certified.close();
        }
        assertThat(hub.shell("hub:telemetry -d x509-device")).contains("certified");

        DeviceClient impostor = new DeviceClient(x509, IotHubClientProtocol.MQTT, ClientOptions.builder()
                .sslContext(withKey(Files.readAllBytes(certificate), otherStore)).build());
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> impostor.open(false))
                    .isInstanceOf(IotHubClientException.class);
        } finally {
            impostor.close();
        }
        hub.awaitLog("the client certificate's thumbprint is not the device's", Duration.ofSeconds(10));
    }

    /**
     * The SDK's {@code getTwin()}, without its lost-answer race: 2.5.0 puts the answer in its receive queue before it
     * looks up the waiting request's callback, and its receive thread, once it has acknowledged the answer, forgets
     * that callback; when the receive thread is first, {@code getTwin()} and {@code updateReportedProperties()} wait
     * out their timeout for an answer the hub sent and the SDK received (Azure/azure-iot-sdk-java#1803). The
     * receive thread itself reports the answer ({@code onResponseAcknowledged}) before it forgets the callback, so
     * the answer is taken from whichever of the two comes first.
     */
    private static Twin twin(DeviceClient client) throws Exception {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        client.getTwinAsync(new GetTwinCorrelatingMessageCallback() {
            @Override
            public void onRequestQueued(Message request, Object context) {
            }

            @Override
            public void onRequestSent(Message request, Object context) {
            }

            @Override
            public void onRequestAcknowledged(Message request, Object context, IotHubClientException e) {
                failed(answer, e);
            }

            @Override
            public void onResponseReceived(Twin twin, Message response, Object context, IotHubStatusCode status,
                    IotHubClientException e) {
                answer.complete(response);
            }

            @Override
            public void onResponseAcknowledged(Message response, Object context) {
                answer.complete(response);
            }
        }, null);
        return Twin.createFromPropertiesJson(new String(answered(answer, "200").getBytes(), StandardCharsets.UTF_8));
    }

    /** The SDK's {@code updateReportedProperties()}, without its lost-answer race (see {@link #twin}). */
    private static int reportedVersion(DeviceClient client, TwinCollection reported) throws Exception {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        client.updateReportedPropertiesAsync(reported, new ReportedPropertiesUpdateCorrelatingMessageCallback() {
            @Override
            public void onRequestQueued(Message request, Object context) {
            }

            @Override
            public void onRequestSent(Message request, Object context) {
            }

            @Override
            public void onRequestAcknowledged(Message request, Object context, IotHubClientException e) {
                failed(answer, e);
            }

            @Override
            public void onResponseReceived(Message response, Object context, IotHubStatusCode status,
                    ReportedPropertiesUpdateResponse update, IotHubClientException e) {
                answer.complete(response);
            }

            @Override
            public void onResponseAcknowledged(Message response, Object context) {
                answer.complete(response);
            }
        }, null);
        return answered(answer, "204").getVersion();
    }

    private static void failed(CompletableFuture<Message> answer, IotHubClientException e) {
        if (e != null) {
            answer.completeExceptionally(e);
        }
    }

    /** @return the hub's answer, which must have the status */
    private static IotHubTransportMessage answered(CompletableFuture<Message> answer, String status)
            throws Exception {
        IotHubTransportMessage response = (IotHubTransportMessage) answer.get(60, TimeUnit.SECONDS);
        assertThat(response.getStatus()).as("the hub's answer").isEqualTo(status);
        return response;
    }

    private static SSLContext withKey(byte[] hubPem, Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(kmf.getKeyManagers(), trustManagers(hubPem), null);
        return context;
    }

    private static SSLContext trusting(byte[] pem) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(null, trustManagers(pem), null);
        return context;
    }

    /** @return trust managers that trust the hub's (self-signed) certificate */
    private static javax.net.ssl.TrustManager[] trustManagers(byte[] pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("hub", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
