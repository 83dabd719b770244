/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.outpost.protocol.SasToken;

class ModuleAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final String PRIMARY = key(1);
    private static final String SECONDARY = key(2);
    private static final String OTHER = key(3);

    private final Fakes.Identities identities = new Fakes.Identities();
    private final ModuleAuthenticator authenticator = new ModuleAuthenticator(identities, Clock.fixed(NOW,
            ZoneOffset.UTC));

    ModuleAuthenticatorTest() {
        identities.add("filter", PRIMARY, SECONDARY);
        identities.add("sensor", OTHER, OTHER);
    }

    private static String key(int seed) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) seed);
        return Base64.getEncoder().encodeToString(k);
    }

    private static String token(String resource, String key, Duration valid) {
        return SasToken.create(resource, key, NOW.plus(valid));
    }

    private Authentication connect(Identity claimed, String password) {
        return authenticator.authenticate(claimed, new Credentials("gateway.local", password, null));
    }

    private static String reason(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) a).reason();
    }

    @Test
    void aModuleSigningForItsOwnResourceWithEitherOfItsKeysIsLetIn() {
        Identity filter = Identity.module("gw1", "filter");

        assertThat(connect(filter, token("hub.example/devices/gw1/modules/filter", PRIMARY, Duration.ofHours(1))))
                .isEqualTo(Authentication.accepted(filter));
        assertThat(connect(filter, token("hub.example/devices/gw1/modules/filter", SECONDARY, Duration.ofHours(1))))
                .isEqualTo(Authentication.accepted(filter));
    }

    @Test
    void aModuleMaySignOnlyAsItselfWithItsOwnKeyForTheHubItWasGiven() {
        Identity filter = Identity.module("gw1", "filter");
        String forSensor = token("hub.example/devices/gw1/modules/sensor", OTHER, Duration.ofHours(1));

        assertThat(reason(connect(filter, forSensor))).isEqualTo("gw1/filter: SAS token is for"
                + " 'hub.example/devices/gw1/modules/sensor', not hub.example/devices/gw1/modules/filter");
        assertThat(reason(connect(filter, token("hub.example/devices/gw1/modules/filter", OTHER, Duration.ofHours(1)))))
                .isEqualTo("gw1/filter: SAS token signature does not match the module's keys");
        assertThat(reason(connect(filter, token("gateway.local/devices/gw1/modules/filter", PRIMARY,
                Duration.ofHours(1))))).contains("is for 'gateway.local/devices/gw1/modules/filter'");
        assertThat(reason(connect(filter, token("hub.example/devices/gw1/modules/filter", PRIMARY,
                Duration.ofHours(-1))))).startsWith("gw1/filter: SAS token expired at");
    }

    @Test
    void onlyDeployedModulesOfThisGatewaysDeviceConnectAndEveryRefusalNamesNoSecret() {
        String token = token("hub.example/devices/gw1", PRIMARY, Duration.ofHours(1));

        assertThat(reason(connect(Identity.device("gw1"), token))).isEqualTo("'gw1' is not a module: only the"
                + " modules of this gateway connect here, with the client id gw1/<module>");
        assertThat(reason(connect(Identity.module("gw2", "filter"), token))).isEqualTo("'gw2/filter' is not a module"
                + " of this gateway's device 'gw1'");
        assertThat(reason(connect(Identity.module("gw1", "ghost"), token))).isEqualTo("module 'ghost' has no"
                + " identity on this gateway (is it deployed? see edge:list)");
        assertThat(reason(connect(Identity.module("gw1", "filter"), PRIMARY))).isEqualTo("gw1/filter gave a password"
                + " that is not a SAS token: a module connects with a SAS token (SharedAccessSignature ...) signed"
                + " with its own key");
        assertThat(reason(connect(Identity.module("gw1", "filter"), null))).contains("gave no password");
        assertThat(reason(connect(Identity.module("gw1", "filter"), "SharedAccessSignature sr=x&sig"))).startsWith(
                "gw1/filter gave a malformed SAS token: ");
        for (String secret : new String[] {PRIMARY, SECONDARY, OTHER}) {
            assertThat(reason(connect(Identity.module("gw1", "filter"), token))).doesNotContain(secret);
        }
    }
}
