/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.api.config.ConfigValues;
import org.outpost.api.message.Message;

class UpstreamSettingsTest {

    @Test
    void defaultsAreValid() throws Exception {
        UpstreamSettings s = UpstreamSettings.from(ConfigValues.defaults(UpstreamConnector.Config.class), Map.of());

        assertThat(s.url()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(s.qos()).isEqualTo(1);
        assertThat(s.topic()).isEqualTo(TopicTemplate.IOT_HUB_MODULE_EVENTS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "url|http://cloud:80|configuration org.outpost.upstream: url=http://cloud:80 is not valid: tcp://host:port or ssl://host:port",
        "url|tcp://cloud|configuration org.outpost.upstream: url=tcp://cloud is not valid: tcp://host:port or ssl://host:port",
        "qos|2|configuration org.outpost.upstream: qos=2 is not valid: 0 or 1",
        "topic|devices/#|configuration org.outpost.upstream: topic=devices/# is not valid: a topic template without wildcards, e.g. devices/{deviceId}/modules/{moduleId}/messages/events/{properties}",
        "keep.alive.seconds|1|configuration org.outpost.upstream: keep.alive.seconds=1 is not valid: 5 to 3600",
        "reconnect.max.ms|10|configuration org.outpost.upstream: reconnect.max.ms=10 is not valid: at least reconnect.min.ms"
    })
    void rejectsBadValuesNamingPidKeyAndValue(String key, String value, String error) {
        Map<String, Object> raw = new HashMap<>();
        raw.put(key, value);
        assertThatThrownBy(() -> UpstreamSettings.from(config(raw), raw)).hasMessage(error);
    }

    @Test
    void aTcpUrlToAHostOffLoopbackIsRefusedWithTheSslUrlToUseInstead() {
        Map<String, Object> raw = Map.of("url", "tcp://hub.example:1884");

        assertThatThrownBy(() -> UpstreamSettings.from(config(raw), raw)).hasMessage("configuration"
                + " org.outpost.upstream: url=tcp://hub.example:1884 is not valid: the upstream would connect without"
                + " TLS to hub.example, which is not loopback: in etc/org.outpost.upstream.cfg use url ="
                + " ssl://hub.example:8883 (with tls.ca if its certificate is not from a CA the JVM trusts), or set"
                + " allow.plain.off.loopback = true if the network is trusted");
    }

    @Test
    void aTcpUrlOffLoopbackIsTakenOnATrustedNetworkAndSslAndLoopbackAlways() throws Exception {
        Map<String, Object> trusted = Map.of("url", "tcp://hub.example:1884", "allow.plain.off.loopback", "true");
        Map<String, Object> ssl = Map.of("url", "ssl://hub.example:8883");
        Map<String, Object> loopback = Map.of("url", "tcp://localhost:1884");

        assertThat(UpstreamSettings.from(config(trusted), trusted).url()).isEqualTo("tcp://hub.example:1884");
        assertThat(UpstreamSettings.from(config(ssl), ssl).url()).isEqualTo("ssl://hub.example:8883");
        assertThat(UpstreamSettings.from(config(loopback), loopback).url()).isEqualTo("tcp://localhost:1884");
    }

    @Test
    void passwordIsNotInToString() throws Exception {
        Map<String, Object> raw = Map.of("password", "s3cret");
        assertThat(UpstreamSettings.from(config(raw), raw).toString()).doesNotContain("s3cret");
    }

    @Test
    void expandsTheTopicTemplate() {
        Message m = Message.builder().body("x").connectionModuleId("sensor").outputName("temp")
                .property("MessageType", "Alert").build();

        assertThat(TopicTemplate.expand(TopicTemplate.IOT_HUB_MODULE_EVENTS, "gw", m))
                .isEqualTo("devices/gw/modules/sensor/messages/events/%24.ce=utf-8&%24.cdid=gw&%24.cmid=sensor"
                        + "&%24.on=temp&MessageType=Alert");
        assertThat(TopicTemplate.expand("plant/{deviceId}/{moduleId}/{outputName}", "gw", m))
                .isEqualTo("plant/gw/sensor/temp");
    }

    /** A configuration whose attributes come from {@code raw} as Config Admin would convert them. */
    static UpstreamConnector.Config config(Map<String, Object> raw) {
        UpstreamConnector.Config defaults = ConfigValues.defaults(UpstreamConnector.Config.class);
        return (UpstreamConnector.Config) java.lang.reflect.Proxy.newProxyInstance(
                UpstreamConnector.Config.class.getClassLoader(), new Class<?>[] {UpstreamConnector.Config.class},
                (p, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return UpstreamConnector.Config.class;
                    }
                    String key = method.getName().replace('_', '.');
                    Object v = raw.get(key);
                    if (v == null) {
                        return method.invoke(defaults);
                    }
                    Class<?> type = method.getReturnType();
                    if (type == int.class) {
                        return Integer.parseInt(v.toString());
                    }
                    if (type == long.class) {
                        return Long.parseLong(v.toString());
                    }
                    if (type == double.class) {
                        return Double.parseDouble(v.toString());
                    }
                    if (type == boolean.class) {
                        return Boolean.parseBoolean(v.toString());
                    }
                    return v.toString();
                });
    }

}
