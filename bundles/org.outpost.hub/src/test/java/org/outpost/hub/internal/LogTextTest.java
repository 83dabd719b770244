/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.api.message.Message;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryTopic;

class LogTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain|`{\"temp\": 21.5}`|`{\"temp\": 21.5}`",
        "newline|`a\nb`|`a\\nb`",
        "carriage return|`a\rb`|`a\\rb`",
        "tab|`a\tb`|`a\\tb`",
        "backslash|`a\\nb`|`a\\\\nb`",
        "escape sequence|`\u001b[31mred`|`\\u001b[31mred`",
        "C1 next line|`a\u0085b`|`a\\u0085b`",
        "line separator|`a\u2028b`|`a\\u2028b`",
        "quotes stay|`\"x\"`|`\"x\"`",
    })
    void whatADeviceSentStaysOnOneLineAndCanBeReadBack(String what, String text, String escaped) {
        assertThat(LogText.escape(text)).isEqualTo(escaped).doesNotContain("\n", "\r", "\u2028", "\u0085");
    }

    @Test
    void aDeviceCannotWriteALineThatLooksLikeAnotherDevicesLine() {
        String forged = "{\"temp\": 1}\n2026-01-01T00:00:00,000 victim/- {} {\"temp\": 99}";
        TelemetryTopic topic = TelemetryTopic.parse("devices/rogue/messages/events/evil%0Aprop=x%0D").orElseThrow();
        Message message = PropertyBag.apply(topic.properties(), Message.builder().body(forged.getBytes(
                StandardCharsets.UTF_8))).build();

        String line = TelemetryHub.line(topic, message, forged.getBytes(StandardCharsets.UTF_8));

        assertThat(line).startsWith("rogue/- ").doesNotContain("\n", "\r")
                .endsWith("{\"temp\": 1}\\n2026-01-01T00:00:00,000 victim/- {} {\"temp\": 99}");
        assertThat(line.lines()).hasSize(1);
    }
}
