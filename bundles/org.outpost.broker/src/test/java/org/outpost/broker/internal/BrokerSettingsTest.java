/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.security.CheckType;
import org.junit.jupiter.api.Test;
import org.outpost.api.config.ConfigValues;
import org.outpost.broker.api.BrokerAuthenticator.Action;

class BrokerSettingsTest {

    private static final Path DATA = Path.of("/var/lib/outpost");
    private static final Path ETC = Path.of("/etc/outpost");

    @Test
    void defaultsBindToLoopbackWithTheJournalUnderKarafData() throws Exception {
        BrokerSettings s = BrokerSettings.from(ConfigValues.defaults(EmbeddedBroker.Config.class), Map.of(), DATA, ETC);

        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.dataDirectory()).isEqualTo(DATA.resolve("outpost/broker"));
        Configuration c = BrokerConfiguration.of(s);
        assertThat(c.getAcceptorConfigurations()).extracting(a -> a.getName())
                .containsExactlyInAnyOrder("in-vm", "core", "mqtt", "amqp");
        assertThat(c.getAcceptorConfigurations()).filteredOn(a -> !a.getName().equals("in-vm"))
                .allSatisfy(a -> assertThat(a.getParams()).containsEntry("host", "127.0.0.1"));
        assertThat(c.isPersistenceEnabled()).isTrue();
        assertThat(c.isSecurityEnabled()).isTrue();
        assertThat(c.getJournalLocation().toPath()).isEqualTo(DATA.resolve("outpost/broker/journal"));
    }

    @Test
    void aPortOfZeroLeavesTheAcceptorOut() throws Exception {
        EmbeddedBroker.Config d = ConfigValues.defaults(EmbeddedBroker.Config.class);
        BrokerSettings s = new BrokerSettings(d.name(), d.host(), 61616, 0, 0, DATA, 90, 3333,
                new ClientLimits(8, 32, 0, "", 0));

        assertThat(BrokerConfiguration.of(s).getAcceptorConfigurations()).extracting(a -> a.getName())
                .containsExactlyInAnyOrder("in-vm", "core");
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheKey() {
        EmbeddedBroker.Config bad = (EmbeddedBroker.Config) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EmbeddedBroker.Config.class}, (p, m, a) ->
                        m.getName().equals("mqtt_port") ? 70000 : m.getDefaultValue());

        assertThatThrownBy(() -> BrokerSettings.from(bad, Map.of("mqtt.port", "70000"), DATA, ETC))
                .hasMessage("configuration org.outpost.broker: mqtt.port=70000 is not valid: a port 1-65535, or 0 for"
                        + " none");
    }

    @Test
    void mapsArtemisChecksToAuthenticatorActions() {
        assertThat(OutpostSecurityManager.action(CheckType.SEND)).isEqualTo(Action.SEND);
        assertThat(OutpostSecurityManager.action(CheckType.CREATE_ADDRESS)).isEqualTo(Action.SEND);
        assertThat(OutpostSecurityManager.action(CheckType.CONSUME)).isEqualTo(Action.CONSUME);
        assertThat(OutpostSecurityManager.action(CheckType.CREATE_NON_DURABLE_QUEUE)).isEqualTo(Action.CONSUME);
        assertThat(OutpostSecurityManager.action(CheckType.MANAGE)).isEqualTo(Action.MANAGE);
        assertThat(OutpostSecurityManager.action(CheckType.DELETE_ADDRESS)).isEqualTo(Action.MANAGE);
    }
}
