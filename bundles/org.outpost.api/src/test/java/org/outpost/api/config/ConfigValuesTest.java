/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @interface Config {
        int port() default 1883;

        String host() default "127.0.0.1";
    }

    @Test
    void defaultsAnswerEveryAttribute() {
        Config c = ConfigValues.defaults(Config.class);

        assertThat(c.port()).isEqualTo(1883);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.annotationType()).isEqualTo(Config.class);
    }

    @Test
    void aValueThatCannotBeConvertedNamesPidKeyAndRawValue() {
        Config broken = new Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return Config.class;
            }

            @Override
            public int port() {
                throw new IllegalArgumentException("For input string: \"abc\"");
            }

            @Override
            public String host() {
                return "h";
            }
        };
        ConfigValues values = new ConfigValues("org.example", broken, Map.of("port", "abc"));

        assertThatThrownBy(() -> values.get("port", broken::port, "a port 1-65535"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("configuration org.example: port=abc is not valid: a port 1-65535")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key()).isEqualTo("port"));
    }

    @Test
    void aValueThatBreaksTheRuleIsRejected() throws Exception {
        Config c = ConfigValues.defaults(Config.class);
        ConfigValues values = new ConfigValues("org.example", c, Map.of("port", 1883));

        assertThat(values.get("port", c::port, p -> p > 0, "positive")).isEqualTo(1883);
        assertThatThrownBy(() -> values.get("port", c::port, p -> p > 2000, "above 2000"))
                .hasMessage("configuration org.example: port=1883 is not valid: above 2000");
    }
}
