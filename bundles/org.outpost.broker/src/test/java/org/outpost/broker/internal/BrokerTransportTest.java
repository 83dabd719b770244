/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the broker's network acceptors, and the rule that plain ones stay on loopback unless allowed. */
class BrokerTransportTest {

    @TempDir
    Path dir;

    /** @return the configuration as Config Admin gives it: the defaults, with these attributes changed */
    private static EmbeddedBroker.Config config(Map<String, Object> changed) {
        return (EmbeddedBroker.Config) Proxy.newProxyInstance(EmbeddedBroker.Config.class.getClassLoader(),
                new Class<?>[] {EmbeddedBroker.Config.class}, (proxy, method, args) -> changed.containsKey(method
                        .getName()) ? changed.get(method.getName()) : method.getDefaultValue());
    }

    private BrokerSettings settings(Map<String, Object> changed) throws Exception {
        Map<String, Object> raw = new java.util.HashMap<>();
        changed.forEach((k, v) -> raw.put(k.replace('_', '.'), v));
        return BrokerSettings.from(config(changed), raw, dir.resolve("data"), dir.resolve("etc"));
    }

    /** @return a PKCS#12 key store with a new key pair for CN=broker, under the password "secret" */
    private Path keyStore(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-storetype", "PKCS12", "-keystore",
                file.toString(), "-storepass", "secret", "-dname", "CN=broker").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        return file;
    }

    @Test
    void plainAcceptorsOffLoopbackAreRefusedSayingWhichKeysToSet() throws Exception {
        BrokerSettings s = settings(Map.of("host", "0.0.0.0"));

        assertThat(s.tls()).isNull();
        assertThat(BrokerConfiguration.plainRefusal(s)).hasValue("the broker's network acceptors (core, MQTT, AMQP)"
                + " would listen without TLS on 0.0.0.0:1883, which is not loopback: in etc/org.outpost.broker.cfg"
                + " set tls.keystore and tls.keystore.password (a gateway uses its own server certificate once"
                + " org.outpost.identity has made it in ${karaf.data}/outpost/ca), set the ports to 0, bind it to"
                + " 127.0.0.1, or set allow.plain.off.loopback = true if the network is trusted");
    }

    @Test
    void plainAcceptorsOnLoopbackOrAllowedOrWithoutNetworkPortsStart() throws Exception {
        assertThat(BrokerConfiguration.plainRefusal(settings(Map.of()))).isEmpty();
        assertThat(BrokerConfiguration.plainRefusal(settings(Map.of("host", "0.0.0.0", "allow_plain_off_loopback",
                true)))).isEmpty();
        assertThat(BrokerConfiguration.plainRefusal(settings(Map.of("host", "0.0.0.0", "core_port", 0, "mqtt_port",
                0, "amqp_port", 0)))).isEmpty();
        assertThat(BrokerConfiguration.of(settings(Map.of())).getAcceptorConfigurations())
                .allSatisfy(a -> assertThat(a.getParams()).doesNotContainKey("sslEnabled"));
    }

    @Test
    void offLoopbackAGatewayServesTlsWithItsOwnServerCertificateOnLoopbackItStaysPlain() throws Exception {
        Path ca = dir.resolve("data/outpost/ca");
        keyStore(ca.resolve("server.p12"));
        Files.writeString(ca.resolve("server.p12.password"), "secret\n");

        BrokerSettings off = settings(Map.of("host", "0.0.0.0"));
        BrokerSettings on = settings(Map.of());

        assertThat(off.tls().keyStore()).isEqualTo(ca.resolve("server.p12"));
        assertThat(off.tls().password()).isEqualTo("secret");
        assertThat(BrokerConfiguration.plainRefusal(off)).isEmpty();
        assertThat(BrokerConfiguration.of(off).getAcceptorConfigurations()).filteredOn(a -> !a.getName().equals(
                "in-vm")).hasSize(3).allSatisfy(a -> assertThat(a.getParams()).containsEntry("sslEnabled", true)
                        .containsEntry("keyStorePath", ca.resolve("server.p12").toString()).containsEntry(
                                "sslAutoReload", true));
        assertThat(on.tls()).isNull();
    }

    @Test
    void aConfiguredKeyStoreServesTlsOnARealSocketAndItsClientsTrustIt() throws Exception {
        keyStore(dir.resolve("etc/broker.p12"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        BrokerSettings s = settings(Map.of("tls_keystore", "broker.p12", "tls_keystore_password", "secret",
                "core_port", port, "mqtt_port", 0, "amqp_port", 0, "data_directory", dir.resolve("journal")
                        .toString()));
        assertThat(s.toString()).doesNotContain("secret");
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(BrokerConfiguration.of(s), false);
        server.start();
        try {
            try (SSLSocket socket = (SSLSocket) s.tls().clientSocketFactory().createSocket("127.0.0.1", port)) {
                socket.startHandshake();
                assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName()).isEqualTo("CN=broker");
            }
            TransportConfiguration core = server.getConfiguration().getAcceptorConfigurations().stream().filter(
                    a -> a.getName().equals("core")).findFirst().orElseThrow();
            assertThat(core.getParams()).containsEntry("sslEnabled", true);
        } finally {
            server.stop();
        }
    }
}
