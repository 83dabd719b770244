/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.outpost.commons.GatewaySecrets;

/**
 * The upstream's credentials from the gateway's owner-only secrets file ({@link GatewaySecrets}), which
 * {@code secrets.file} names: the device key ({@code device.key}) makes SAS tokens, unless a password is given
 * ({@code upstream.password}, for a plain MQTT broker). Credentials still in the configuration ({@code sas.key},
 * {@code password}) win, as before, with a warning to move them.
 */
final class UpstreamSecrets {

    private UpstreamSecrets() {
    }

    /**
     * @param etc {@code ${karaf.etc}}
     * @param secretsFile the configured {@code secrets.file}
     * @param warn hears what the operator should change (never a secret)
     * @return the settings with their credentials; as they were if the file cannot be read (said through warn)
     */
    static UpstreamSettings resolve(UpstreamSettings s, Path etc, String secretsFile, Consumer<String> warn) {
        GatewaySecrets secrets;
        try {
            secrets = GatewaySecrets.read(etc, secretsFile);
        } catch (IOException e) {
            warn.accept("the upstream does not use the gateway's secrets file: " + e.getMessage());
            return s;
        }
        if (!s.sasKey().isEmpty()) {
            warn.accept(secrets.moveWarning(UpstreamSettings.PID, "sas.key", GatewaySecrets.DEVICE_KEY));
        }
        if (!s.password().isEmpty()) {
            warn.accept(secrets.moveWarning(UpstreamSettings.PID, "password", GatewaySecrets.UPSTREAM_PASSWORD));
        }
        String password = !s.password().isEmpty() ? s.password()
                : secrets.get(GatewaySecrets.UPSTREAM_PASSWORD).orElse("");
        String sasKey = !s.sasKey().isEmpty() ? s.sasKey()
                : password.isEmpty() ? secrets.get(GatewaySecrets.DEVICE_KEY).orElse("") : "";
        return s.withCredentials(sasKey, password);
    }
}
