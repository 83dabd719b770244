/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolManagerFactory;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.osgi.framework.BundleContext;
import org.outpost.api.config.ConfigValues;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.BrokerAuthenticator;

/**
 * The real embedded broker of the distributions, for the hub's tests: an MQTT acceptor on a given port, the hub's
 * authenticator and broker plugins bound as DS would bind them (from this package, where the bind methods are).
 */
public final class TestBroker {

    private TestBroker() {
    }

    /** @return the started broker; stop it with {@link #stop} */
    public static Broker start(Path dir, int mqttPort, BrokerAuthenticator authenticator,
            ActiveMQServerPlugin... plugins) throws Exception {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(TestBroker.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> m.getName().equals("getProperty")
                        && "karaf.data".equals(a[0]) ? dir.toString() : null);
        MQTTProtocolManagerFactory mqtt = new MQTTProtocolManagerFactory();
        // No AMQP acceptor (amqp.port 0): the MQTT factory stands in for the AMQP one.
        Map<String, Object> values = Map.of("name", "test-hub", "mqtt_port", mqttPort, "core_port", 0, "amqp_port", 0,
                "data_directory", dir.resolve("broker").toString());
        EmbeddedBroker.Config defaults = ConfigValues.defaults(EmbeddedBroker.Config.class);
        EmbeddedBroker.Config config = (EmbeddedBroker.Config) Proxy.newProxyInstance(
                TestBroker.class.getClassLoader(), new Class<?>[] {EmbeddedBroker.Config.class}, (p, m, a) -> values
                        .containsKey(m.getName()) ? values.get(m.getName()) : m.invoke(defaults, a));
        EmbeddedBroker broker = new EmbeddedBroker(context, config, Map.of(), mqtt, mqtt);
        broker.bindAuthenticator(authenticator);
        for (ActiveMQServerPlugin plugin : plugins) {
            broker.bindPlugin(plugin);
        }
        return broker;
    }

    public static void stop(Broker broker) throws Exception {
        ((EmbeddedBroker) broker).deactivate();
    }
}
