/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.outpost.commons.PlainTransport;

class HttpTransportTest {

    private static final PlainTransport RULE = new PlainTransport();

    @Test
    void plainHttpOnLoopbackIsServed() {
        assertThat(HttpTransport.refusal("http://127.0.0.1:8181/", false, RULE)).isEmpty();
        assertThat(HttpTransport.refusal(new String[] {"http://localhost:8181/", "http://[::1]:8181/"}, false,
                RULE)).isEmpty();
    }

    @Test
    void plainHttpOffLoopbackIsRefusedNamingTheEndpointAndWhatToSet() {
        assertThat(HttpTransport.refusal(List.of("http://127.0.0.1:8181/", "http://192.0.2.7:8181/"), false, RULE))
                .hasValue("the hub's HTTP service listens without TLS on http://192.0.2.7:8181/, which is not"
                        + " loopback: in etc/org.apache.felix.http.cfg set org.apache.felix.https.enable = true with a"
                        + " key store (org.apache.felix.https.keystore, org.apache.felix.https.keystore.password,"
                        + " org.osgi.service.http.port.secure) and org.apache.felix.http.enable = false, or bind"
                        + " org.apache.felix.http.host to 127.0.0.1; or set allow.plain.off.loopback = true in"
                        + " etc/org.outpost.hub.web.cfg if the network is trusted");
    }

    @Test
    void httpsAnywhereIsServedAndPlainOffLoopbackOnlyWhenAllowed() {
        assertThat(HttpTransport.refusal(new String[] {"https://192.0.2.7:8443/"}, false, RULE)).isEmpty();
        assertThat(HttpTransport.refusal("http://192.0.2.7:8181/", true, RULE)).isEmpty();
    }

    @Test
    void anEndpointThatCannotBeReadCountsAsOffLoopback() {
        assertThat(HttpTransport.refusal("http://[not an address/", false, RULE)).isPresent();
        assertThat(HttpTransport.refusal("http://hub:8181/", false, new PlainTransport(host -> host.equals("hub"))))
                .as("the rule decides what loopback is").isEmpty();
    }

    @Test
    void theComponentDoesNotStartWhileTheHttpServiceIsPlainOffLoopback() {
        @SuppressWarnings("unchecked")
        ServiceReference<HttpServiceRuntime> http = Stub.of(ServiceReference.class).on("getProperty",
                args -> new String[] {"http://0.0.0.0:8181/"}).build();
        HttpTransport.Config config = Stub.of(HttpTransport.Config.class).on("allow_plain_off_loopback",
                args -> false).build();

        assertThatThrownBy(() -> new HttpTransport(http, config)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the hub's HTTP service listens without TLS on http://0.0.0.0:8181/");
    }
}
