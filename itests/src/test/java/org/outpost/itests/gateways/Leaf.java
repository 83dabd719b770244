/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.gateways;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubTransportMessage;
import com.microsoft.azure.sdk.iot.device.twin.GetTwinCorrelatingMessageCallback;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateCorrelatingMessageCallback;
import com.microsoft.azure.sdk.iot.device.twin.ReportedPropertiesUpdateResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import org.outpost.itests.CloudPair;
import org.outpost.itests.GatewayProcess;

/**
 * A leaf device as its owner would write it: the unmodified Azure IoT device SDK for Java 2.5.0, with a connection
 * string naming the hub ({@code HostName=outpost-hub.local}, which its SAS token is signed for) and the gateway
 * ({@code GatewayHostName=localhost}, where it connects: port 8883, or 443 for {@code MQTT_WS}), trusting the
 * gateway's CA as {@code edge:ca} prints it.
 */
final class Leaf {

    private Leaf() {
    }

    /** @return a device client (not open) of a leaf device with a SAS key, trusting the gateway's CA */
    static DeviceClient sas(String deviceId, String key, Path gatewayCa, IotHubClientProtocol protocol)
            throws Exception {
        return new DeviceClient(connectionString(deviceId, key), protocol,
                ClientOptions.builder().sslContext(trusting(gatewayCa, null)).build());
    }

    /**
     * Opens a client made by {@code client}, again with a new one while it is refused (for up to 45 s): the gateway
     * learns of a device created at the hub a moment after the command returns.
     *
     * @param opened where the open client is added (to be closed by the test)
     * @param gateway the gateway it connects to, whose {@code edge:children} a failure message shows
     */
    static DeviceClient open(String what, Callable<DeviceClient> client, List<DeviceClient> opened,
            GatewayProcess gateway) {
        List<String> errors = new ArrayList<>();
        try {
            return await(what + " (open)").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        DeviceClient c = client.call();
                        try {
                            c.open(false);
                            opened.add(c);
                            return c;
                        } catch (IotHubClientException e) {
                            errors.add(e.getStatusCode() + ": " + e.getMessage());
                            c.close();
                            return null;
                        }
                    }, c -> c != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the SDK's errors: " + errors + "\n"
                    + Layers.diagnose(gateway, "edge:children"), e);
        }
    }

    /** @return the leaf's connection string, as an operator writes it from the hub's key and the gateway's name */
    static String connectionString(String deviceId, String key) {
        return "HostName=" + Layers.HUB_HOST + ";DeviceId=" + deviceId + ";SharedAccessKey=" + key
                + ";GatewayHostName=localhost";
    }

    /**
     * @return a device client (not open) of a leaf device with an X.509 certificate (the key store's "device"
     *         entry), trusting the gateway's CA
     */
    static DeviceClient x509(String deviceId, Path keyStore, Path gatewayCa) throws Exception {
        return new DeviceClient("HostName=" + Layers.HUB_HOST + ";DeviceId=" + deviceId
                + ";x509=true;GatewayHostName=localhost", IotHubClientProtocol.MQTT,
                ClientOptions.builder().sslContext(trusting(gatewayCa, keyStore)).build());
    }

    /**
     * Makes a self-signed device certificate with keytool.
     *
     * @return its PKCS#12 key store (password {@link CloudPair#KEYSTORE_PASSWORD}, alias "device")
     */
    static Path certificate(Path dir, String deviceId) throws Exception {
        Path store = dir.resolve(deviceId + "-" + System.nanoTime() + ".p12");
        CloudPair.keytool("-genkeypair", "-alias", "device", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass",
                CloudPair.KEYSTORE_PASSWORD, "-dname", "CN=" + deviceId);
        return store;
    }

    /** @return the SHA-256 thumbprint (hex) of the key store's "device" certificate */
    static String thumbprint(Path keyStore) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(load(keyStore)
                .getCertificate("device").getEncoded()));
    }

    /**
     * The SDK's {@code getTwin()}, without its lost-answer race (Azure/azure-iot-sdk-java#1803; see
     * {@code IotHubSdkIT}): the answer is taken from whichever of the SDK's two callbacks comes first.
     *
     * @return the twin, from an answer with status 200
     */
    static Twin twin(DeviceClient client) throws Exception {
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
        return Twin.createFromPropertiesJson(new String(answered(answer, "200", "the twin").getBytes(),
                StandardCharsets.UTF_8));
    }

    /**
     * The SDK's {@code updateReportedProperties()}, without its lost-answer race (see {@link #twin}).
     *
     * @return the reported properties' new version, or null when the answer names none
     */
    static Integer report(DeviceClient client, TwinCollection reported) throws Exception {
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
        return answered(answer, "204", "the reported patch " + reported).getVersion();
    }

    private static void failed(CompletableFuture<Message> answer, IotHubClientException e) {
        if (e != null) {
            answer.completeExceptionally(e);
        }
    }

    private static IotHubTransportMessage answered(CompletableFuture<Message> answer, String status, String what)
            throws Exception {
        IotHubTransportMessage response;
        try {
            response = (IotHubTransportMessage) answer.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer to " + what + " within 60 s from the gateway", e);
        }
        if (!status.equals(response.getStatus())) {
            throw new AssertionError("the gateway answered " + what + " with status " + response.getStatus()
                    + " (expected " + status + "): " + new String(response.getBytes(), StandardCharsets.UTF_8));
        }
        return response;
    }

    /** @return a TLS context trusting the PEM certificate, with the key store's key as client certificate if any */
    static SSLContext trusting(Path pem, Path keyStore) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        TrustManager[] trustManagers = tmf.getTrustManagers();
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        if (keyStore == null) {
            context.init(null, trustManagers, null);
        } else {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), CloudPair.KEYSTORE_PASSWORD.toCharArray());
            context.init(kmf.getKeyManagers(), trustManagers, null);
        }
        return context;
    }

    private static KeyStore load(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, CloudPair.KEYSTORE_PASSWORD.toCharArray());
        }
        return keys;
    }
}
