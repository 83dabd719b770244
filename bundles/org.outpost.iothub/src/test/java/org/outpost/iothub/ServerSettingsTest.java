/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void limitsAreAtLeastOneAndItNamesNoPassword() {
        ServerSettings s = new ServerSettings("iothub", "0.0.0.0", 1885, "hub.example", 8883, Path.of("hub.p12"),
                "s3cret", 0, -2, "etc/x.cfg");

        assertThat(s.maxMessageBytes()).isEqualTo(1);
        assertThat(s.authMaxFailuresPerMinute()).isEqualTo(1);
        assertThat(s.tls()).isTrue();
        assertThat(s.toString()).contains("hub.example", "8883").doesNotContain("s3cret");
    }

    @Test
    void aNegativeTlsPortTurnsTlsOffAndANullPasswordIsEmpty() {
        ServerSettings s = new ServerSettings("iothub", "127.0.0.1", 0, "h", -1, Path.of("x"), null, 1024, 10,
                "etc/x.cfg");

        assertThat(s.tls()).isFalse();
        assertThat(s.tlsKeystorePassword()).isEmpty();
    }
}
