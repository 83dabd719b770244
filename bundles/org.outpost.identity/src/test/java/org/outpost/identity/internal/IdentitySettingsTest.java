/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;

class IdentitySettingsTest {

    private static final Path DATA = Path.of("/var/lib/outpost/data");

    /** The defaults, with {@code overrides} (attribute name to value) in their place. */
    private static IdentitySettings.Config config(Map<String, Object> overrides) {
        IdentitySettings.Config defaults = ConfigValues.defaults(IdentitySettings.Config.class);
        return (IdentitySettings.Config) Proxy.newProxyInstance(IdentitySettings.Config.class.getClassLoader(),
                new Class<?>[] {IdentitySettings.Config.class}, (p, m, args) -> overrides.containsKey(m.getName())
                        ? overrides.get(m.getName()) : m.invoke(defaults, args));
    }

    @Test
    void theDefaultsNameTheGatewayLocalhostAndTheHubAsTheTwinsDo() throws Exception {
        IdentitySettings s = IdentitySettings.from(config(Map.of()), Map.of(), DATA);

        assertThat(s.gatewayHostName()).isEqualTo("localhost");
        assertThat(s.hostNames()).startsWith("localhost", "127.0.0.1").doesNotHaveDuplicates();
        assertThat(s.hubHostName()).isEqualTo("outpost-hub.local");
        assertThat(s.workloadDir()).isEqualTo(DATA.resolve("outpost/workload"));
        assertThat(s.apiVersion()).isEqualTo("2019-01-30");
        assertThat(s.caValidityDays()).isEqualTo(365);
        assertThat(s.serverValidityDays()).isEqualTo(30);
        assertThat(s.renewBeforeDays()).isZero();
    }

    @Test
    void configuredHostNamesMayBeOneCommaSeparatedValueAndFollowTheGatewayHostName() throws Exception {
        IdentitySettings s = IdentitySettings.from(config(Map.of("gateway_host_name", "gw.example",
                "host_names", new String[] {"localhost, 10.0.0.5", "::1"})), Map.of(), DATA);

        assertThat(s.hostNames()).containsExactly("gw.example", "localhost", "10.0.0.5", "::1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gateway_host_name | bad_name!        | gateway.host.name",
        "host_names        | 300.1.1.1        | host.names",
        "api_version       | v2               | api.version",
        "server_validity_days | 400           | server.validity.days",
        "renew_before_days | 30               | renew.before.days"})
    void aValueThatCannotBeUsedIsRefusedNamingItsKey(String attribute, String value, String key) {
        Object typed = attribute.endsWith("days") ? (Object) Integer.valueOf(value)
                : attribute.equals("host_names") ? new String[] {value} : value;

        assertThatThrownBy(() -> IdentitySettings.from(config(Map.of(attribute, typed)), Map.of(key, value), DATA))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(key)
                .hasMessageContaining(value);
    }

    @ParameterizedTest
    @CsvSource({"localhost,true", "gw-1.example.com,true", "127.0.0.1,true", "::1,true", "fe80::1,true",
        "999.1.1.1,false", "1.2.3,false", "-bad,false", "a_b,false", "'',false"})
    void hostNamesAreDnsNamesOrAddressLiterals(String name, boolean valid) {
        assertThat(IdentitySettings.isHostName(name)).isEqualTo(valid);
    }
}
