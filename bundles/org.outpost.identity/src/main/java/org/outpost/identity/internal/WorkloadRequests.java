/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.identity.internal.WorkloadHttp.Request;
import org.outpost.identity.internal.WorkloadHttp.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the workload API answers, as IoT Edge's answers the Azure IoT SDKs:
 * <ul>
 * <li>{@code POST /modules/{moduleId}/genid/{generationId}/sign} with {@code {"keyId":"primary","algo":"HMACSHA256",
 * "data":"<base64>"}}: {@code {"digest":"<base64>"}}, the HMAC-SHA256 of the data under the module's key;</li>
 * <li>{@code GET /trust-bundle}: {@code {"certificate":"<PEM>"}}, the gateway's CA certificate.</li>
 * </ul>
 * Each with {@code ?api-version=} one of {@link #API_VERSIONS}. The socket a request arrives on names the module that
 * asks: it signs only as itself (403 otherwise), with its current generation (404 otherwise, as IoT Edge answers a
 * key it does not hold). Errors are {@code {"message":"..."}}.
 */
final class WorkloadRequests {

    /** The workload API versions of IoT Edge 1.0 to 1.5; the SDKs send 2018-06-28 or 2019-01-30. */
    static final List<String> API_VERSIONS = List.of("2018-06-28", "2019-01-30", "2019-10-22", "2019-11-05",
            "2020-07-07", "2020-10-10", "2021-12-07", "2022-08-03");

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadService.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final String SERVED = "this workload API serves POST /modules/{moduleId}/genid/{generationId}/sign"
            + " and GET /trust-bundle";

    private final ModuleIdentities identities;
    private final GatewayCertificates certificates;
    private final WorkloadRefusals refusals;

    WorkloadRequests(ModuleIdentities identities, GatewayCertificates certificates, WorkloadRefusals refusals) {
        this.identities = identities;
        this.certificates = certificates;
        this.refusals = refusals;
    }

    /**
     * @param module the module whose socket the request came on
     * @return the answer
     */
    Response handle(String module, Request request) {
        try {
            return route(module, request);
        } catch (RuntimeException e) {
            LOG.warn("Workload API: a request of module {} failed", module, e);
            return refuse(module, 500, "the workload API failed: " + e.getClass().getSimpleName() + "; see the"
                    + " gateway's log");
        }
    }

    private Response route(String module, Request request) {
        List<String> path = request.path();
        boolean sign = path.size() == 5 && path.get(0).equals("modules") && path.get(2).equals("genid")
                && path.get(4).equals("sign");
        boolean trustBundle = path.size() == 1 && path.get(0).equals("trust-bundle");
        if (!sign && !trustBundle) {
            return refuse(module, 404, "no such resource /" + WorkloadHttp.printable(String.join("/", path)) + "; "
                    + SERVED);
        }
        String method = sign ? "POST" : "GET";
        if (!request.method().equals(method)) {
            return refuse(module, 405, "method " + WorkloadHttp.printable(request.method()) + " is not allowed on "
                    + (sign ? "/modules/{moduleId}/genid/{generationId}/sign" : "/trust-bundle") + "; use " + method);
        }
        String version = request.query().get("api-version");
        if (version == null) {
            return refuse(module, 400, "api-version not specified; add ?api-version= one of " + API_VERSIONS);
        }
        if (!API_VERSIONS.contains(version)) {
            return refuse(module, 400, "api-version '" + WorkloadHttp.printable(version) + "' is not supported; use"
                    + " one of " + API_VERSIONS);
        }
        return sign ? sign(module, path.get(1), path.get(3), request.body()) : trustBundle(module);
    }

    /** @return the answer to a request that could not be read, logged as refused */
    Response refuse(String module, int status, String message) {
        refusals.refused(module, status, message);
        return new Response(status, json(Map.of("message", message)));
    }

    private Response sign(String module, String asModule, String generationId, byte[] body) {
        if (!asModule.equals(module)) {
            return refuse(module, 403, "module '" + module + "' may sign only as itself, not as '"
                    + WorkloadHttp.printable(asModule) + "' (each module has its own workload socket)");
        }
        Optional<ModuleIdentity> identity = identities.identity(module);
        if (identity.isEmpty()) {
            return refuse(module, 404, "module '" + module + "' has no identity (it is not deployed)");
        }
        if (!identity.get().generationId().equals(generationId)) {
            return refuse(module, 404, "generation '" + WorkloadHttp.printable(generationId) + "' of module '"
                    + module + "' is not its current one: the module was deployed anew; restart it with its new"
                    + " IOTEDGE_MODULEGENERATIONID");
        }
        SignRequest sign;
        try {
            sign = SignRequest.of(body);
        } catch (IllegalArgumentException e) {
            return refuse(module, 400, e.getMessage());
        }
        String key = sign.secondary() ? identity.get().secondaryKey() : identity.get().primaryKey();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            String digest = Base64.getEncoder().encodeToString(mac.doFinal(sign.data()));
            return new Response(200, json(Map.of("digest", digest)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Never the key itself: only that it could not be used.
            return refuse(module, 500, "the module's " + (sign.secondary() ? "secondary" : "primary") + " key cannot"
                    + " sign (" + e.getClass().getSimpleName() + "); delete and deploy the module again");
        }
    }

    private Response trustBundle(String module) {
        try {
            return new Response(200, json(Map.of("certificate", certificates.caCertificatePem())));
        } catch (RuntimeException e) {
            return refuse(module, 500, "the gateway's CA certificate is not available: " + e.getMessage());
        }
    }

    /** A sign request's body, checked. */
    private record SignRequest(boolean secondary, byte[] data) {

        static SignRequest of(byte[] body) {
            if (body.length == 0) {
                throw new IllegalArgumentException("the sign request has no body; send {\"keyId\":\"primary\","
                        + "\"algo\":\"HMACSHA256\",\"data\":\"<base64>\"}");
            }
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
                throw new IllegalArgumentException("the sign request's body is not JSON: " + e.getOriginalMessage()
                        + where, e);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the sign request's body cannot be read: " + e.getMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the sign request's body is not a JSON object");
            }
            String keyId = text(node, "keyId", "primary");
            if (!keyId.equals("primary") && !keyId.equals("secondary")) {
                throw new IllegalArgumentException("keyId '" + WorkloadHttp.printable(keyId)
                        + "' is not a key of the module; use primary or secondary");
            }
            String algo = text(node, "algo", "HMACSHA256");
            if (!algo.equalsIgnoreCase("HMACSHA256")) {
                throw new IllegalArgumentException("algo '" + WorkloadHttp.printable(algo)
                        + "' is not supported; use HMACSHA256");
            }
            String data = text(node, "data", null);
            if (data == null) {
                throw new IllegalArgumentException("the sign request has no data; send the bytes to sign as"
                        + " \"data\":\"<base64>\"");
            }
            try {
                return new SignRequest(keyId.equals("secondary"), Base64.getDecoder().decode(data));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("data is not Base64: " + e.getMessage(), e);
            }
        }

        private static String text(JsonNode node, String field, String otherwise) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return otherwise;
            }
            if (!value.isTextual()) {
                throw new IllegalArgumentException(field + " is " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                        + ", not a string");
            }
            return value.textValue();
        }
    }

    private static String json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
