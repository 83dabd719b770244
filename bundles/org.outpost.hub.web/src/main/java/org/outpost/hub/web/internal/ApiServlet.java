/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.Fleet;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.hub.deployments.EffectiveDesired;
import org.outpost.protocol.AuthLimiter;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's REST API under {@code /api} (described by {@code /api/openapi.json}): devices, tags, twins, deployments
 * and the fleet's health, as JSON. Every call but the description needs {@code Authorization: Bearer <token>}: the
 * token configured in {@code org.outpost.hub.api}, or one made at first start and kept in
 * {@code ${karaf.data}/outpost/hub/api-token} (readable by the hub's user only). Errors are
 * {@code {"error": "...", "path": "..."}} with 400 (bad input: nothing changed), 401, 404 or 409.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID, property = {
        "osgi.http.whiteboard.servlet.pattern=/api/*", "osgi.http.whiteboard.servlet.name=outpost-hub-api"})
@Designate(ocd = ApiServlet.Config.class)
public final class ApiServlet extends HttpServlet {

    static final String PID = "org.outpost.hub.api";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bodies larger than this are refused (a deployment is at most 512 KB). */
    private static final int MAX_BODY = 1024 * 1024;
    private static final int RECENT_TELEMETRY = 20;

    @ObjectClassDefinition(name = "Outpost hub REST API", description = "The REST API and the dashboard that uses it.")
    public @interface Config {
        @AttributeDefinition(description = "The bearer token callers give (Authorization: Bearer <token>). Empty: the"
                + " hub makes one at first start and keeps it in data/outpost/hub/api-token.")
        String token() default "";
    }

    private final transient DeviceRegistry registry;
    private final transient Twins twins;
    private final transient Deployments deployments;
    private final transient Telemetry telemetry;
    private final transient Fleet fleet;
    private final byte[] token;
    /** Ten wrong tokens a minute from one address, then it waits. */
    private final transient AuthLimiter failures = new AuthLimiter(10, java.time.Duration.ofMinutes(1),
            java.time.Clock.systemUTC());

    @Activate
    public ApiServlet(BundleContext context, @Reference DeviceRegistry registry, @Reference Twins twins,
            @Reference Deployments deployments, @Reference Telemetry telemetry, @Reference Fleet fleet, Config config)
            throws IOException {
        this.registry = registry;
        this.twins = twins;
        this.deployments = deployments;
        this.telemetry = telemetry;
        this.fleet = fleet;
        String t = config.token();
        if (t.isBlank()) {
            Path file = Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost",
                    "hub", "api-token");
            t = tokenFile(file);
            LOG.info("REST API and dashboard: /api and /dashboard/ on the HTTP port (etc/org.apache.felix.http.cfg);"
                    + " the API token is in {}", file);
        }
        this.token = t.getBytes(StandardCharsets.UTF_8);
    }

    private static String tokenFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(file.getParent());
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, t + "\n", StandardCharsets.UTF_8);
        return t;
    }

    /** A refusal with its status, said to the caller as {@code {"error", "path"}}. */
    private static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String path;

        ApiException(int status, String message, String path) {
            super(message);
            this.status = status;
            this.path = path;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = Objects.requireNonNullElse(req.getPathInfo(), "/");
        String method = req.getMethod();
        resp.setHeader("Cache-Control", "no-store");
        try {
            if (path.equals("/openapi.json") && method.equals("GET")) {
                try (InputStream in = ApiServlet.class.getResourceAsStream("/api/openapi.json")) {
                    resp.setContentType("application/json");
                    in.transferTo(resp.getOutputStream());
                }
                return;
            }
            String address = req.getRemoteAddr();
            long wait = (failures.blocked(address).toMillis() + 999) / 1000;
            if (wait > 0) {
                // Refused without a check: guessing the token goes no faster than the window allows.
                resp.setHeader("Retry-After", Long.toString(wait));
                throw new ApiException(429, "too many calls with a wrong token from " + address + "; try again in "
                        + wait + " s", null);
            }
            if (!authorized(req)) {
                if (req.getHeader("Authorization") != null) {
                    // A wrong token counts; no token at all is a caller that has not logged in yet.
                    failures.failed(address);
                    LOG.warn("REST API: {} {} from {} with a wrong token", method, path, address);
                }
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"outpost-hub\"");
                throw new ApiException(401, "give the API token as 'Authorization: Bearer <token>' (it is in"
                        + " data/outpost/hub/api-token on the hub, or etc/" + PID + ".cfg)", null);
            }
            Object out = route(method, path.split("/"), req, resp);
            if (out != null) {
                write(resp, resp.getStatus(), out);
            } else {
                resp.setStatus(204);
            }
        } catch (ApiException e) {
            error(resp, e.status, e.getMessage(), e.path);
        } catch (DeploymentException e) {
            error(resp, 400, e.getMessage(), e.path());
        } catch (TwinException e) {
            error(resp, 400, e.getMessage(), e.path());
        } catch (IllegalArgumentException e) {
            // The services say "no device 'x'" for unknown ones, and what is wrong for bad input.
            error(resp, e.getMessage() != null && e.getMessage().startsWith("no ") ? 404 : 400, e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            error(resp, 500, "the hub failed: " + e + " (see its log)", null);
        }
    }

    private boolean authorized(HttpServletRequest req) {
        String h = req.getHeader("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private Object route(String method, String[] p, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        // p[0] is "" (the path starts with /).
        String root = p.length > 1 ? p[1] : "";
        switch (root) {
            case "fleet":
                if (p.length == 2 && method.equals("GET")) {
                    return fleet();
                }
                break;
            case "devices":
                return devices(method, p, req, resp);
            case "deployments":
                return deployments(method, p, req, resp);
            default:
                break;
        }
        throw new ApiException(404, "no such resource: " + method + " /api" + String.join("/", p) + " (see"
                + " /api/openapi.json)", null);
    }

    // ---- Devices

    private Object devices(String method, String[] p, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (p.length == 2 && method.equals("GET")) {
            return deviceList(req, resp);
        }
        if (p.length < 3) {
            throw new ApiException(405, method + " is not allowed on /api/devices", null);
        }
        String id = p[2];
        if (p.length == 3) {
            switch (method) {
                case "GET":
                    return detail(device(id));
                case "PUT":
                    return createDevice(id, body(req), resp);
                case "PATCH":
                    return patchDevice(id, body(req));
                case "DELETE":
                    if (!registry.delete(id)) {
                        throw new ApiException(404, "no device '" + id + "'", null);
                    }
                    return null;
                default:
                    throw new ApiException(405, method + " is not allowed on a device", null);
            }
        }
        if (p.length == 4 && p[3].equals("tags")) {
            device(id);
            if (method.equals("GET")) {
                return twins.tags(id);
            }
            if (method.equals("PATCH")) {
                return twins.patchTags(id, body(req).toString());
            }
        }
        if (p.length == 6 && p[3].equals("keys") && p[5].equals("rotate") && method.equals("POST")) {
            device(id);
            if (!p[4].equals("primary") && !p[4].equals("secondary")) {
                throw new ApiException(404, "keys are 'primary' or 'secondary', not '" + p[4] + "'", null);
            }
            return Map.of("deviceId", id, p[4] + "Key", registry.rotateKey(id, p[4].equals("secondary")));
        }
        if (p.length == 4 && p[3].equals("twin")) {
            return twin(method, id, null, req);
        }
        if (p.length == 6 && p[3].equals("modules") && p[5].equals("twin")) {
            return twin(method, id, p[4], req);
        }
        if (p.length == 4 && p[3].equals("telemetry") && method.equals("GET")) {
            device(id);
            return recent(id, parseLimit(req.getParameter("limit")));
        }
        throw new ApiException(404, "no such resource: " + method + " /api" + String.join("/", p), null);
    }

    /**
     * The devices, sorted by id, a page at a time ({@code offset}, {@code limit}: 1 to 10,000, default 1,000), those
     * matching {@code q} (a condition, as in deployments: {@code tags.site = 'plant-1'}) if given; the count of all
     * that match is in {@code X-Total-Count}.
     */
    private Object deviceList(HttpServletRequest req, HttpServletResponse resp) {
        org.outpost.hub.query.Condition condition = null;
        String q = req.getParameter("q");
        if (q != null && !q.isBlank()) {
            try {
                condition = org.outpost.hub.query.Condition.parse(q);
            } catch (org.outpost.hub.query.ConditionException e) {
                throw new ApiException(400, "q: " + e.getMessage(), "q");
            }
        }
        int offset = number(req.getParameter("offset"), "offset", 0, 0, Integer.MAX_VALUE);
        int limit = number(req.getParameter("limit"), "limit", 1000, 1, 10_000);
        List<Object> out = new ArrayList<>();
        int matching = 0;
        for (Device d : registry.devices()) {
            try {
                if (condition != null && !condition.test(twins.conditionDocument(d.id()))) {
                    continue;
                }
                if (matching++ >= offset && out.size() < limit) {
                    out.add(summary(d));
                }
            } catch (IllegalArgumentException deleted) {
                // Deleted while listing.
            }
        }
        resp.setHeader("X-Total-Count", Integer.toString(matching));
        return out;
    }

    private static int number(String s, String name, int absent, int min, int max) {
        if (s == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ApiException(400, name + " is a number from " + min + " to " + max + ", not '" + s + "'", name);
    }

    private Device device(String id) {
        return registry.device(id).orElseThrow(() -> new ApiException(404, "no device '" + id + "'", null));
    }

    private Object createDevice(String id, JsonNode body, HttpServletResponse resp) {
        if (registry.device(id).isPresent()) {
            throw new ApiException(409, "device '" + id + "' exists; rotate its keys with POST /api/devices/" + id
                    + "/keys/primary/rotate", null);
        }
        if (body.has("tags")) {
            // Checked before the device exists: a bad tag set registers nothing.
            TwinDocument.patchSection(JSON.createObjectNode(), body.get("tags").toString(), "tags",
                    org.outpost.protocol.TwinLimits.IOT_HUB);
        }
        String key = registry.importDevices(List.of(new NewDevice(id, body.path("primaryKey").textValue(),
                body.path("secondaryKey").textValue()))).get(id);
        if (body.has("tags")) {
            try {
                twins.patchTags(id, body.get("tags").toString());
            } catch (RuntimeException e) {
                // Nothing half-made: the device goes again (the hub's own tag limits may be tighter than IoT Hub's).
                registry.delete(id);
                throw e;
            }
        }
        resp.setStatus(201);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", id);
        out.put("primaryKey", key);
        return out;
    }

    private Object patchDevice(String id, JsonNode body) {
        device(id);
        JsonNode status = body.path("status");
        if (!status.isMissingNode()) {
            if (!status.asText().equals("enabled") && !status.asText().equals("disabled")) {
                throw new ApiException(400, "status is 'enabled' or 'disabled'", "status");
            }
            registry.setEnabled(id, status.asText().equals("enabled"));
        }
        if (body.has("tags")) {
            twins.patchTags(id, body.get("tags").toString());
        }
        return detail(device(id));
    }

    private Map<String, Object> summary(Device d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.id());
        m.put("status", d.enabled() ? "enabled" : "disabled");
        m.put("connectionState", d.connectionState());
        m.put("lastActivityTime", d.lastSeen() == null ? null : d.lastSeen().toString());
        m.put("created", d.created().toString());
        m.put("messages", d.messages());
        m.put("tags", twins.tags(d.id()));
        EffectiveDesired e = deployments.applied(d.id());
        m.put("deployment", e.base().orElse(null));
        m.put("layers", e.layers());
        ObjectNode modules = JSON.createObjectNode();
        int failing = 0;
        long restarts = 0;
        for (ReportedModule mod : fleet.modules(d.id())) {
            modules.put(mod.moduleId(), mod.runtimeStatus());
            failing += mod.failing() ? 1 : 0;
            restarts += mod.restartCount();
        }
        m.put("modules", modules);
        m.put("failingModules", failing);
        m.put("restartCount", restarts);
        JsonNode last = reported(d.id(), "$edgeAgent").path("lastDesiredStatus");
        m.put("lastDesiredStatus", last.isMissingNode() ? null : last);
        return m;
    }

    private Object detail(Device d) {
        Map<String, Object> m = summary(d);
        m.put("secondaryKey", d.secondaryKey());
        m.put("connections", d.connections());
        m.put("edgeAgent", read(twins.twin(d.id(), "$edgeAgent").toJson()));
        m.put("edgeHub", read(twins.twin(d.id(), "$edgeHub").toJson()));
        m.put("twin", read(twins.twin(d.id(), null).toJson()));
        m.put("telemetry", recent(d.id(), RECENT_TELEMETRY));
        return m;
    }

    private JsonNode reported(String device, String module) {
        return read(twins.twin(device, module).reported());
    }

    private List<Object> recent(String device, int limit) {
        List<Object> out = new ArrayList<>();
        for (Telemetry.Received r : telemetry.recent(device, limit)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", r.sequence());
            m.put("moduleId", r.moduleId());
            m.put("properties", r.message().properties());
            m.put("body", r.message().bodyAsString());
            out.add(m);
        }
        return out;
    }

    private static int parseLimit(String s) {
        return number(s, "limit", RECENT_TELEMETRY, 1, 1000);
    }

    private Object twin(String method, String id, String module, HttpServletRequest req) throws IOException {
        device(id);
        if (method.equals("GET")) {
            return read(twins.twin(id, module).toJson());
        }
        if (method.equals("PATCH")) {
            JsonNode body = body(req);
            JsonNode desired = body.path("properties").path("desired");
            if (!desired.isObject()) {
                throw new ApiException(400, "give {\"properties\": {\"desired\": {...}}}, a merge patch of the"
                        + " desired properties", "properties.desired");
            }
            return read(twins.patchDesired(id, module, desired.toString()).toJson());
        }
        throw new ApiException(405, method + " is not allowed on a twin (GET, PATCH)", null);
    }

    // ---- Deployments

    private Object deployments(String method, String[] p, HttpServletRequest req, HttpServletResponse resp)
            throws IOException {
        if (p.length == 2 && method.equals("GET")) {
            return deployments.deployments().stream().map(ApiServlet::deploymentSummary).toList();
        }
        if (p.length == 3 && p[2].equals("check") && method.equals("POST")) {
            return check(body(req));
        }
        if (p.length != 3) {
            throw new ApiException(404, "no such resource: " + method + " /api" + String.join("/", p), null);
        }
        String id = p[2];
        switch (method) {
            case "GET":
                return deploymentDetail(deployments.deployment(id).orElseThrow(() -> new ApiException(404,
                        "no deployment '" + id + "'", null)));
            case "PUT": {
                JsonNode body = body(req);
                if (!(body instanceof ObjectNode o)) {
                    throw new ApiException(400, "a deployment is a JSON object", "$");
                }
                if (o.has("id") && !o.path("id").asText().equals(id)) {
                    throw new ApiException(400, "the body's id '" + o.path("id").asText() + "' is not the URL's '"
                            + id + "'", "id");
                }
                o.put("id", id);
                if (deployments.deployment(id).isPresent()) {
                    throw new ApiException(409, "deployment '" + id + "' exists and its content cannot change:"
                            + " create another with a higher priority, then delete this one", "id");
                }
                DeploymentStatus s = deployments.create(o.toString());
                resp.setStatus(201);
                return deploymentDetail(s);
            }
            case "PATCH":
                if (deployments.deployment(id).isEmpty()) {
                    throw new ApiException(404, "no deployment '" + id + "'", null);
                }
                return deploymentDetail(deployments.update(id, body(req).toString()));
            case "DELETE":
                if (!deployments.delete(id)) {
                    throw new ApiException(404, "no deployment '" + id + "'", null);
                }
                return null;
            default:
                throw new ApiException(405, method + " is not allowed on a deployment", null);
        }
    }

    /** Checks a deployment as creating it would, and says which devices it would target, changing nothing. */
    private Object check(JsonNode body) {
        org.outpost.hub.deployments.HubDeployment d = org.outpost.hub.deployments.HubDeployment.parse(body.toString(),
                java.time.Instant.now());
        List<String> targeted = new ArrayList<>();
        for (Device device : registry.devices()) {
            try {
                if (d.targetCondition().test(twins.conditionDocument(device.id()))) {
                    targeted.add(device.id());
                }
            } catch (IllegalArgumentException deleted) {
                // Deleted while checking.
            }
        }
        List<String> identities = new ArrayList<>();
        d.modulesContent().fieldNames().forEachRemaining(identities::add);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("layered", d.layered());
        m.put("priority", d.priority());
        m.put("targetCondition", d.targetCondition().toString());
        m.put("identities", identities);
        m.put("exists", deployments.deployment(d.id()).isPresent());
        m.put("targetedDevices", targeted);
        return m;
    }

    private static Map<String, Object> deploymentSummary(DeploymentStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.deployment().id());
        m.put("priority", s.deployment().priority());
        m.put("layered", s.deployment().layered());
        m.put("targetCondition", s.deployment().targetCondition().toString());
        m.put("labels", s.deployment().labels());
        m.put("createdTimeUtc", s.deployment().createdTimeUtc().toString());
        m.put("systemMetrics", s.systemMetrics());
        return m;
    }

    private static Map<String, Object> deploymentDetail(DeploymentStatus s) {
        Map<String, Object> m = deploymentSummary(s);
        m.put("content", Map.of("modulesContent", s.deployment().modulesContent()));
        m.put("targetedDevices", s.targeted());
        m.put("appliedDevices", s.applied());
        m.put("succeededDevices", s.succeeded());
        m.put("failedDevices", s.failed());
        m.put("pendingDevices", s.pending());
        return m;
    }

    // ---- Fleet

    private Object fleet() {
        Fleet.Health h = fleet.health();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", h.devices());
        m.put("connected", h.connected());
        m.put("disabled", h.disabled());
        m.put("deployments", h.deployments());
        m.put("telemetryReceived", telemetry.received());
        m.put("failingModules", h.failingModules());
        return m;
    }

    // ---- JSON in and out

    private static JsonNode body(HttpServletRequest req) throws IOException {
        byte[] bytes = req.getInputStream().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the body is over " + MAX_BODY + " bytes", null);
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ApiException(400, "the body is not JSON: " + e.getMessage().lines().findFirst().orElse(""),
                    "$");
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is damaged: " + e.getMessage(), e);
        }
    }

    private static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        JSON.writeValue(resp.getOutputStream(), body);
    }

    private static void error(HttpServletResponse resp, int status, String message, String path) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (path != null) {
            m.put("path", path);
        }
        write(resp, status, m);
    }
}
