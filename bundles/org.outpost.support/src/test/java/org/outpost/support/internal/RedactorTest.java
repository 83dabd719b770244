/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor(List.of("org.apache.karaf.jaas", "org.outpost.vault*"),
            List.of("pin"));

    @ParameterizedTest(name = "{0} secret: {1}")
    @CsvSource({
        "password, true",
        "tls.keystore.password, true",
        "key, true",
        "device.key, true",
        "sas.key, true",
        "upstream.password, true",
        "api.token, true",
        "token, true",
        "registryCredentials, true",
        "connectionString, true",
        "DB_PASSWORD, true",
        "SharedAccessKey, true",
        "client.secret, true",
        "sim.pin, true",
        "privateKey, true",
        "key.file, false",
        "secrets.file, false",
        "token.hours, false",
        "sas.token.hours, false",
        "sas.host.name, false",
        "hub.host.name, false",
        "tls.keystore, false",
        "url, false",
        "username, false",
        "monkey.count, false",
        "keyboard, false",
    })
    void aKeyIsSecretByItsWords(String key, boolean secret) {
        assertThat(redactor.secretKey(key)).isEqualTo(secret);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HostName=h;DeviceId=d;SharedAccessKey=c2VjcmV0a2V5 | HostName=h;DeviceId=d;SharedAccessKey=<redacted>",
        "password: SECRETVALUE1 | password: <redacted>",
        "connect with SharedAccessSignature sr=h%2Fdevices%2Fd&sig=abc%3D&se=1 now"
            + " | connect with SharedAccessSignature <redacted> now",
        "https://acct.blob.core.windows.net/c?sv=2020&sig=SIGVALUE&se=x | https://acct.blob.core.windows.net/c?sv=2020&sig=<redacted>&se=x",
        "tcp://gw:PASSWORD9@hub:1883 | tcp://gw:<redacted>@hub:1883",
        "sealed sb1:QUJDREVGR0g= kept | sealed <redacted> kept",
        "the key store is at etc/ks.p12 | the key store is at etc/ks.p12",
        "token.hours=1 | token.hours=1",
        "manifest {\"DB_PASSWORD\": \"X1\", \"MODE\": \"fast\"} | manifest {\"DB_PASSWORD\": <redacted>, \"MODE\": \"fast\"}",
    })
    void textLosesSecretsOfKnownShapes(String in, String out) {
        assertThat(redactor.lines(in)).isEqualTo(out);
    }

    @Test
    void aPrivateKeyAndAKeyLikeValueGo() {
        assertThat(redactor.lines("x\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\ny"))
                .isEqualTo("x\n<redacted> private key\ny");
        assertThat(redactor.text("q8bT5n1YQ0h3mA7cW2vR9sK4pL6xE0jF3uZ8dN1oB5g=")).isEqualTo(Redactor.REDACTED);
        assertThat(redactor.text("/opt/outpost/data/outpost/deployment/current1234")).startsWith("/opt");
        assertThat(redactor.text("0f8fad5b-d9cb-469f-a165-70867728950e")).isEqualTo(
                "0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    @Test
    void aConfigurationLosesItsSecretValuesAndASecretPidLosesAll() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("url", "ssl://hub:8883");
        props.put("password", "hunter2hunter2");
        props.put("sas.key", "c2VjcmV0");
        props.put("port", 8883);
        props.put("list", new String[] {"a", "pass=xyz123"});
        assertThat(redactor.configuration("org.outpost.upstream", props)).containsEntry("url", "ssl://hub:8883")
                .containsEntry("password", Redactor.REDACTED).containsEntry("sas.key", Redactor.REDACTED)
                .containsEntry("port", 8883).containsEntry("list", List.of("a", "pass=<redacted>"));
        assertThat(redactor.configuration("org.outpost.vault.main", Map.of("url", "x", "service.pid", "p")))
                .containsEntry("url", Redactor.REDACTED).containsEntry("service.pid", "p");
        assertThat(redactor.configuration("org.apache.karaf.jaas", Map.of("encryption.enabled", "false")))
                .containsEntry("encryption.enabled", Redactor.REDACTED);
    }

    @Test
    void aManifestLosesRegistryCredentialsEnvSecretsAndSecretsInsideCreateOptions() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree("""
                {"modulesContent": {"$edgeAgent": {"properties.desired": {"runtime": {"settings": {
                  "registryCredentials": {"acr": {"username": "u", "password": "REGPASS", "address": "a.io"}}}},
                  "modules": {"m": {"env": {"DB_PASSWORD": {"value": "ENVPASS"}, "MODE": {"value": "fast"}},
                    "settings": {"image": "m:1", "createOptions": "{\\"Env\\": [\\"API_TOKEN=OPTTOKEN\\"]}"}}}}}}}
                """);
        String out = redactor.json(manifest).toString();
        assertThat(out).doesNotContain("REGPASS", "ENVPASS", "OPTTOKEN").contains("\"MODE\"", "fast", "m:1",
                "registryCredentials");
    }
}
