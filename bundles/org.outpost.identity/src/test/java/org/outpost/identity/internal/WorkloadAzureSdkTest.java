/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.microsoft.azure.sdk.iot.device.edge.HttpsHsmTrustBundleProvider;
import com.microsoft.azure.sdk.iot.device.hsm.HttpHsmSignatureProvider;
import com.microsoft.azure.sdk.iot.device.hsm.IotHubSasTokenHsmAuthenticationProvider;
import com.microsoft.azure.sdk.iot.device.hsm.UnixDomainSocketChannel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.identity.api.ModuleIdentity;

/**
 * The unmodified Azure IoT device SDK for Java (2.5.0) against the workload API: the classes
 * {@code ModuleClient.createFromEnvironment} uses to sign its SAS tokens and fetch the trust bundle, over a
 * {@link UnixDomainSocketChannel} built on Java 17's unix domain sockets, as a module would.
 */
class WorkloadAzureSdkTest {

    /** What ModuleClient.createFromEnvironment sends (the SDK's only workload API version). */
    private static final String SDK_API_VERSION = "2018-06-28";
    private static final Duration AT_MOST = Duration.ofSeconds(10);

    /** The SDK's socket channel on Java 17, keeping what the SDK writes. */
    static final class Java17Channel implements UnixDomainSocketChannel {
        final List<String> written = new ArrayList<>();
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private SocketChannel channel;

        @Override
        public void open(String address) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(address));
        }

        @Override
        public void write(byte[] output) throws IOException {
            request.write(output);
            ByteBuffer bytes = ByteBuffer.wrap(output);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        @Override
        public int read(byte[] inputBuffer) throws IOException {
            return channel.read(ByteBuffer.wrap(inputBuffer));
        }

        @Override
        public void close() throws IOException {
            written.add(request.toString(StandardCharsets.UTF_8));
            request.reset();
            channel.close();
        }
    }

    @TempDir
    Path tmp;

    private final WorkloadFakes.Identities identities = new WorkloadFakes.Identities();
    private final ModuleIdentity filter = identities.create("filter");
    private final Java17Channel channel = new Java17Channel();
    private WorkloadServer server;
    private String workloadUri;

    @BeforeEach
    void start() throws Exception {
        identities.create("sensor");
        WorkloadSockets sockets = new WorkloadSockets(tmp);
        server = new WorkloadServer(sockets, new WorkloadRequests(identities, new WorkloadFakes.Certificates(),
                new WorkloadRefusals(Duration.ofMinutes(1))), Duration.ofSeconds(10));
        server.serve(() -> Set.of("filter", "sensor")).get(5, TimeUnit.SECONDS);
        workloadUri = "unix://" + sockets.socket("filter"); // IOTEDGE_WORKLOADURI as the module gets it
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theSdksSignatureProviderGetsTheHmacOfTheModulesKey() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(workloadUri, SDK_API_VERSION, channel);

        String signature = assertTimeoutPreemptively(AT_MOST, () -> signer.sign("filter", "to sign",
                filter.generationId()));

        assertThat(URLDecoder.decode(signature, StandardCharsets.UTF_8)).isEqualTo(WorkloadFakes.hmac(
                filter.primaryKey(), "to sign".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSdksModuleSasTokenIsSignedWithTheModulesOwnKey() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(workloadUri, SDK_API_VERSION, channel);

        IotHubSasTokenHsmAuthenticationProvider auth = assertTimeoutPreemptively(AT_MOST,
                () -> IotHubSasTokenHsmAuthenticationProvider.create(signer, "gateway", "filter", "hub.example",
                        "gateway.example", filter.generationId(), 3600, 85));
        Map<String, String> token = sasFields(new String(auth.getSasToken()));

        String signed = token.get("sr") + "\n" + token.get("se");
        assertThat(URLDecoder.decode(token.get("sig"), StandardCharsets.UTF_8)).isEqualTo(WorkloadFakes.hmac(
                filter.primaryKey(), signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSdkGetsTheGatewaysCaCertificateAsTrustBundle() throws Exception {
        String certificates = assertTimeoutPreemptively(AT_MOST,
                () -> new HttpsHsmTrustBundleProvider().getTrustBundleCerts(workloadUri, SDK_API_VERSION, channel));

        assertThat(certificates).isEqualTo(WorkloadFakes.PEM);
    }

    @Test
    void theSdkSeesWhyItMayNotSignAsAnotherModule() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(workloadUri, SDK_API_VERSION, channel);
        String sensorGeneration = identities.identity("sensor").orElseThrow().generationId();

        assertThatThrownBy(() -> assertTimeoutPreemptively(AT_MOST, () -> signer.sign("sensor", "to sign",
                sensorGeneration)))
                .hasMessageContaining("received status code 403")
                .hasMessageContaining("module 'filter' may sign only as itself, not as 'sensor'");
    }

    @Test
    void theSdkSeesThatAnOldGenerationIsNotFound() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(workloadUri, SDK_API_VERSION, channel);

        assertThatThrownBy(() -> assertTimeoutPreemptively(AT_MOST, () -> signer.sign("filter", "to sign",
                "gen-old")))
                .hasMessageContaining("received status code 404")
                .hasMessageContaining("generation 'gen-old' of module 'filter' is not its current one");
    }

    @Test
    void theRequestsTheSdkWritesAreTheOnesTheServerReads() throws Exception {
        HttpHsmSignatureProvider signer = new HttpHsmSignatureProvider(workloadUri, SDK_API_VERSION, channel);
        assertTimeoutPreemptively(AT_MOST, () -> signer.sign("filter", "x", filter.generationId()));
        assertTimeoutPreemptively(AT_MOST,
                () -> new HttpsHsmTrustBundleProvider().getTrustBundleCerts(workloadUri, SDK_API_VERSION, channel));

        assertThat(channel.written).hasSize(2);
        String sign = channel.written.get(0);
        String trust = channel.written.get(1);
        String host = "Host: " + tmp.resolve("filter.sock").toAbsolutePath() + "\r\n";
        assertThat(sign).isEqualTo("POST /modules/filter/genid/" + filter.generationId()
                + "/sign?api-version=2018-06-28 HTTP/1.1\r\n" + host + "Accept: application/json\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 63\r\n\r\n"
                + "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"eA\\u003d\\u003d\"}");
        assertThat(trust).isEqualTo("GET /trust-bundle?api-version=2018-06-28 HTTP/1.1\r\n" + host
                + "Accept: application/json\r\nConnection: close\r\n\r\n");
    }

    private static Map<String, String> sasFields(String token) {
        assertThat(token).startsWith("SharedAccessSignature ");
        Map<String, String> fields = new LinkedHashMap<>();
        Arrays.stream(token.substring("SharedAccessSignature ".length()).split("&")).forEach(pair -> fields.put(
                pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
        return fields;
    }
}
