/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.identity.internal.WorkloadHttp.Request;
import org.outpost.identity.internal.WorkloadHttp.Response;

class WorkloadRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkloadFakes.Identities identities = new WorkloadFakes.Identities();
    private final WorkloadRequests requests = new WorkloadRequests(identities, new WorkloadFakes.Certificates(),
            new WorkloadRefusals(Duration.ofMinutes(1)));
    private final ModuleIdentity filter = identities.create("filter");

    private static Request request(String method, String path, String apiVersion, String body) {
        return new Request(method, List.of(path.substring(1).split("/", -1)), apiVersion == null ? Map.of()
                : Map.of("api-version", apiVersion), Map.of(), body.getBytes(StandardCharsets.UTF_8), false);
    }

    private Response sign(String asModule, String generation, String body) {
        return requests.handle("filter", request("POST", "/modules/" + asModule + "/genid/" + generation + "/sign",
                "2018-06-28", body));
    }

    private static String signBody(String keyId, String data) {
        return "{\"keyId\":\"" + keyId + "\",\"algo\":\"HMACSHA256\",\"data\":\"" + data + "\"}";
    }

    private static JsonNode json(Response response) throws Exception {
        return JSON.readTree(response.json());
    }

    @Test
    void signReturnsTheHmacOfTheDataUnderTheModulesPrimaryKey() throws Exception {
        Response response = sign("filter", filter.generationId(), signBody("primary", WorkloadFakes.base64(
                "hub/devices/gateway/modules/filter\n1700000000")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("digest").asText()).isEqualTo(WorkloadFakes.hmac(filter.primaryKey(),
                "hub/devices/gateway/modules/filter\n1700000000".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSecondaryKeySignsWhenAskedFor() throws Exception {
        Response response = sign("filter", filter.generationId(), signBody("secondary", "AAEC"));

        assertThat(json(response).get("digest").asText()).isEqualTo(WorkloadFakes.hmac(filter.secondaryKey(),
                new byte[] {0, 1, 2}));
    }

    @Test
    void aModuleMaySignOnlyAsItself() throws Exception {
        identities.create("sensor");

        Response response = sign("sensor", identities.identity("sensor").orElseThrow().generationId(),
                signBody("primary", "AAEC"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(json(response).get("message").asText())
                .isEqualTo("module 'filter' may sign only as itself, not as 'sensor' (each module has its own"
                        + " workload socket)");
    }

    @Test
    void anOldGenerationIsRefusedAsNotFound() throws Exception {
        Response response = sign("filter", "gen-old", signBody("primary", "AAEC"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).startsWith("generation 'gen-old' of module 'filter' is"
                + " not its current one");
    }

    @Test
    void aModuleWhoseIdentityIsDeletedCannotSign() throws Exception {
        identities.delete("filter");

        Response response = sign("filter", filter.generationId(), signBody("primary", "AAEC"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).contains("has no identity");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                          | the sign request has no body",
        "`{\"keyId\":\"primary\",`                   | the sign request's body is not JSON: Unexpected end-of-input",
        "`{\"data\":\"AA==\"} trailing`              | the sign request's body is not JSON",
        "`[1,2]`                                     | the sign request's body is not a JSON object",
        "`{\"keyId\":\"tertiary\",\"data\":\"AA==\"}` | keyId 'tertiary' is not a key of the module; use primary or secondary",
        "`{\"algo\":\"SHA1\",\"data\":\"AA==\"}`     | algo 'SHA1' is not supported; use HMACSHA256",
        "`{\"keyId\":\"primary\"}`                   | the sign request has no data",
        "`{\"data\":42}`                             | data is number, not a string",
        "`{\"data\":\"not base64!\"}`                | data is not Base64: Illegal base64 character 20",
    })
    void aMalformedSignRequestIsABadRequestThatSaysWhatIsWrong(String body, String message) throws Exception {
        Response response = sign("filter", filter.generationId(), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).startsWith(message);
    }

    @Test
    void theTrustBundleIsTheGatewaysCaCertificate() throws Exception {
        Response response = requests.handle("filter", request("GET", "/trust-bundle", "2019-01-30", ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response).get("certificate").asText()).isEqualTo(WorkloadFakes.PEM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-06-28", "2019-01-30", "2019-10-22", "2019-11-05", "2020-07-07", "2020-10-10",
        "2021-12-07", "2022-08-03"})
    void everyApiVersionOfIotEdgeIsAccepted(String version) {
        assertThat(requests.handle("filter", request("GET", "/trust-bundle", version, "")).status()).isEqualTo(200);
    }

    @Test
    void anUnknownApiVersionIsRefusedWithTheKnownOnes() throws Exception {
        Response response = requests.handle("filter", request("GET", "/trust-bundle", "2099-01-01", ""));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).isEqualTo("api-version '2099-01-01' is not supported;"
                + " use one of [2018-06-28, 2019-01-30, 2019-10-22, 2019-11-05, 2020-07-07, 2020-10-10, 2021-12-07,"
                + " 2022-08-03]");
    }

    @Test
    void aMissingApiVersionIsRefused() throws Exception {
        Response response = requests.handle("filter", request("GET", "/trust-bundle", null, ""));

        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("message").asText()).startsWith("api-version not specified");
    }

    @Test
    void anUnknownPathIsNotFoundAndSaysWhatIsServed() throws Exception {
        Response response = requests.handle("filter", request("POST", "/modules/filter/genid/g/encrypt",
                "2018-06-28", ""));

        assertThat(response.status()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).isEqualTo("no such resource /modules/filter/genid/g/encrypt;"
                + " this workload API serves POST /modules/{moduleId}/genid/{generationId}/sign and GET /trust-bundle");
    }

    @Test
    void aWrongMethodIsNotAllowed() throws Exception {
        Response get = requests.handle("filter", request("GET", "/modules/filter/genid/g/sign", "2018-06-28", ""));
        Response post = requests.handle("filter", request("POST", "/trust-bundle", "2018-06-28", ""));

        assertThat(get.status()).isEqualTo(405);
        assertThat(json(get).get("message").asText()).endsWith("use POST");
        assertThat(post.status()).isEqualTo(405);
        assertThat(json(post).get("message").asText()).endsWith("use GET");
    }

    @Test
    void aFailingIdentityStoreIsAServerErrorThatHoldsNoDetailOfIt() throws Exception {
        WorkloadRequests broken = new WorkloadRequests(new WorkloadFakes.Identities() {
            @Override
            public Optional<ModuleIdentity> identity(String moduleId) {
                throw new IllegalStateException("store unreadable");
            }
        }, new WorkloadFakes.Certificates(), new WorkloadRefusals(Duration.ofMinutes(1)));

        Response response = broken.handle("filter", request("POST", "/modules/filter/genid/g/sign", "2018-06-28",
                signBody("primary", "AAEC")));

        assertThat(response.status()).isEqualTo(500);
        assertThat(json(response).get("message").asText()).isEqualTo("the workload API failed:"
                + " IllegalStateException; see the gateway's log");
    }
}
