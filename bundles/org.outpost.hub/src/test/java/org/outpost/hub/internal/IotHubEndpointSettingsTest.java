/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.ServerSettings;

class IotHubEndpointSettingsTest {

    /** @return the configuration as Config Admin gives it: the defaults, with these attributes changed */
    private static IotHubEndpoint.Config config(Map<String, Object> changed) {
        return (IotHubEndpoint.Config) Proxy.newProxyInstance(IotHubEndpoint.Config.class.getClassLoader(),
                new Class<?>[] {IotHubEndpoint.Config.class}, (proxy, method, args) -> changed.containsKey(method
                        .getName()) ? changed.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void byDefaultThePlainPortListensOnLoopbackOnly() {
        ServerSettings s = IotHubEndpoint.settings(config(Map.of()));

        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(1885);
        assertThat(s.allowPlainOffLoopback()).isFalse();
        assertThat(s.configurationFile()).isEqualTo("etc/org.outpost.hub.iothub.cfg");
    }

    @Test
    void portMinusOneTurnsThePlainListenerOffAsOnTheGateway() {
        assertThat(IotHubEndpoint.settings(config(Map.of("port", -1))).port()).isEqualTo(-1);
    }

    @Test
    void theEscapeHatchIsTakenFromTheConfiguration() {
        assertThat(IotHubEndpoint.settings(config(Map.of("allow_plain_off_loopback", true)))
                .allowPlainOffLoopback()).isTrue();
    }
}
