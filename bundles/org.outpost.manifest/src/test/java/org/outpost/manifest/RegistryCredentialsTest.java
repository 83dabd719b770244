/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AT = "runtime.settings.registryCredentials";

    private static Map<String, RegistryCredential> parse(String json) throws Exception {
        return RegistryCredentials.parse(JSON.readTree(json), AT);
    }

    @Test
    void credentialsAreReadByNameWithTheRegistryAddressAsImagesNameIt() throws Exception {
        Map<String, RegistryCredential> c = parse("{\"acr\": {\"address\": \"https://myacr.azurecr.io/\","
                + " \"username\": \"myacr\", \"password\": \"s3cret:with:colons\"}, \"local\": {\"address\":"
                + " \"localhost:5000\", \"username\": \"me\", \"password\": \"pw\"}}");

        assertThat(c).containsOnlyKeys("acr", "local");
        assertThat(c.get("acr").address()).isEqualTo("myacr.azurecr.io");
        assertThat(c.get("local").address()).isEqualTo("localhost:5000");
        assertThat(new String(Base64.getDecoder().decode(c.get("acr").basicAuth()), StandardCharsets.UTF_8))
                .isEqualTo("myacr:s3cret:with:colons");
        assertThat(RegistryCredentials.parse(null, AT)).isEmpty();
    }

    @Test
    void aCredentialNeverShowsItsPassword() throws Exception {
        RegistryCredential c = parse("{\"acr\": {\"address\": \"acr.io\", \"username\": \"u\", \"password\":"
                + " \"hunter2\"}}").get("acr");

        assertThat(c.toString()).isEqualTo("RegistryCredential[acr: u@acr.io, password hidden]")
                .doesNotContain("hunter2");
        assertThat(new DeploymentManifest("1.1", java.util.List.of(), Map.of(), null, Map.of(), Map.of("acr", c),
                java.util.List.of()).toString()).doesNotContain("hunter2");
    }

    @Test
    void whatIsMissingOrMalformedIsNamedByItsPathAndNoValueIsEchoed() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(ManifestException.class).hasMessageStartingWith("400 " + AT
                + ": must be an object");
        assertThatThrownBy(() -> parse("{\"acr\": \"user:pw\"}")).hasMessage("400 " + AT + ".acr: must be an object"
                + " with address, username and password").hasMessageNotContaining("user:pw");
        assertThatThrownBy(() -> parse("{\"acr\": {\"address\": \"acr.io\", \"username\": \"u\"}}"))
                .hasMessage("400 " + AT + ".acr.password: missing");
        assertThatThrownBy(() -> parse("{\"acr\": {\"address\": \"acr.io\", \"username\": \"u\", \"password\": 42}}"))
                .hasMessage("400 " + AT + ".acr.password: must be a non-empty string").hasMessageNotContaining("42");
        assertThatThrownBy(() -> parse("{\"acr\": {\"address\": \"acr.io/acme\", \"username\": \"u\", \"password\":"
                + " \"p\"}}")).hasMessageContaining(AT + ".acr.address: a registry's address is a host name");
    }
}
