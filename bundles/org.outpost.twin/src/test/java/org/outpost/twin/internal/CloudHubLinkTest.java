/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.protocol.SasToken;

/** The link the children's relay connects over: the twins' endpoint, and tokens of the gateway's own device. */
class CloudHubLinkTest {

    private static final String KEY = FakeIdentities.newKey();

    @TempDir
    Path etc;

    @Test
    void itNamesTheTwinsEndpointAndSignsTokensOfTheGatewaysDevice() throws Exception {
        CloudHubLink link = new CloudHubLink("gw", FakeHub.config("tcp://127.0.0.1:1885", KEY), etc);

        assertThat(link.url()).isEqualTo("tcp://127.0.0.1:1885");
        assertThat(link.hubHostName()).isEqualTo(FakeHub.HOST);
        assertThat(link.deviceId()).isEqualTo("gw");
        assertThat(link.socketFactory()).isEmpty();
        SasToken token = SasToken.parse(link.gatewayToken(Duration.ofMinutes(5)));
        assertThat(token.device()).isEqualTo(Optional.of("gw"));
        assertThat(token.check(FakeHub.HOST + "/devices/gw", KEY, Instant.now())).isEqualTo(SasToken.Check.VALID);
        assertThat(token.expiry()).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(link.toString()).doesNotContain(KEY);
    }

    @Test
    void anSslUrlGetsASocketFactoryAndAPlainUrlOffLoopbackIsRefused() throws Exception {
        assertThat(new CloudHubLink("gw", FakeHub.config("ssl://hub.example:8883", KEY), etc).socketFactory())
                .isPresent();
        CloudTwins.Config offLoopback = Fakes.fake(CloudTwins.Config.class, Map.of("url",
                args -> "tcp://192.0.2.7:1885", "key", args -> KEY, "allow_plain_off_loopback", args -> false));
        assertThatThrownBy(() -> new CloudHubLink("gw", offLoopback, etc)).isInstanceOf(
                IllegalArgumentException.class).hasMessageStartingWith("org.outpost.twin: ");
    }
}
