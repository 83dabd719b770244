/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlainTransportTest {

    private static final String FILE = "etc/org.outpost.x.cfg";

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "127.1.2.3, true", "localhost, true", "LOCALHOST, true", "::1, true",
        "[::1], true", "0:0:0:0:0:0:0:1, true", "0.0.0.0, false", "::, false", "192.168.1.10, false",
        "10.0.0.1, false", "hub.example.com, false", "localhost.evil.example, false", "127.0.0.1.nip.io, false",
        "'', false"})
    void loopbackIsDecidedFromTheTextWithoutDns(String host, boolean loopback) {
        assertThat(PlainTransport.isLoopback(host)).isEqualTo(loopback);
    }

    @Test
    void aPlainListenerOnLoopbackMayStart() {
        PlainTransport rule = new PlainTransport();

        assertThat(rule.refuseListener("the MQTT acceptor", "127.0.0.1", 1883, false, FILE, "set tls.keystore"))
                .isEmpty();
    }

    @Test
    void aPlainListenerOffLoopbackIsRefusedSayingWhichListenerAndWhatToSet() {
        PlainTransport rule = new PlainTransport(host -> false);

        assertThatThrownBy(() -> rule.checkListener("the broker's MQTT acceptor", "192.0.2.7", 1883, false, FILE,
                "set tls.keystore")).isInstanceOf(IllegalStateException.class).hasMessage(
                        "the broker's MQTT acceptor would listen without TLS on 192.0.2.7:1883, which is not"
                                + " loopback: in etc/org.outpost.x.cfg set tls.keystore, bind it to 127.0.0.1, or"
                                + " set allow.plain.off.loopback = true if the network is trusted");
    }

    @Test
    void theEscapeHatchLetsAPlainListenerOffLoopbackStart() {
        PlainTransport rule = new PlainTransport(host -> false);

        assertThat(rule.refuseListener("x", "0.0.0.0", 1883, true, FILE, "set tls.keystore")).isEmpty();
    }

    @Test
    void theInjectedPredicateDecidesWhatIsLoopback() {
        PlainTransport everythingLoopback = new PlainTransport(host -> true);

        assertThat(everythingLoopback.refuseListener("x", "192.0.2.7", 1, false, FILE, "")).isEmpty();
        assertThat(everythingLoopback.refuseClient("x", "tcp://hub.example:1884", false, FILE)).isEmpty();
    }

    @Test
    void aPlainClientToAnotherHostIsRefusedWithTheSslUrlToUseInstead() {
        PlainTransport rule = new PlainTransport();

        assertThat(rule.refuseClient("the upstream", "tcp://hub.example:1884", false, FILE)).hasValue(
                "the upstream would connect without TLS to hub.example, which is not loopback: in"
                        + " etc/org.outpost.x.cfg use url = ssl://hub.example:8883 (with tls.ca if its certificate"
                        + " is not from a CA the JVM trusts), or set allow.plain.off.loopback = true if the network"
                        + " is trusted");
    }

    @ParameterizedTest
    @CsvSource({"tcp://127.0.0.1:1884, false", "tcp://localhost:1884, false", "tcp://[::1]:1884, false",
        "ssl://hub.example:8883, false", "tcp://hub.example:1884, true", "TCP://10.1.1.1:1884, true",
        "tcp://0.0.0.0:1884, true"})
    void onlyTcpToAHostOffLoopbackIsRefused(String url, boolean refused) {
        assertThat(new PlainTransport().refuseClient("c", url, false, FILE).isPresent()).isEqualTo(refused);
        assertThat(new PlainTransport().refuseClient("c", url, true, FILE)).isEmpty();
    }
}
