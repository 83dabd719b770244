/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.ModuleRegistry;
import org.outpost.hub.api.NewDevice;
import org.outpost.hub.api.Telemetry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.query.Condition;
import org.outpost.hub.query.ConditionException;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

/**
 * {@code /api/devices}: the devices with their health; one device, its keys, its recent telemetry, its tags, its own
 * twin, its module identities (without their keys) and its modules' twins.
 */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("devices")
@Tag(name = "devices")
public final class DevicesResource {

    private final DeviceRegistry registry;
    private final ModuleRegistry modules;
    private final Twins twins;
    private final DeviceViews views;

    @Activate
    public DevicesResource(@Reference DeviceRegistry registry, @Reference ModuleRegistry modules,
            @Reference Twins twins, @Reference Deployments deployments, @Reference Telemetry telemetry) {
        this.registry = registry;
        this.modules = modules;
        this.twins = twins;
        this.views = new DeviceViews(twins, deployments, telemetry);
    }

    @GET
    @Operation(summary = "The devices with their health, sorted by id, a page at a time", responses = {
            @ApiResponse(responseCode = "200", description = "Devices", headers = @Header(name = "X-Total-Count",
                    description = "how many devices match", schema = @Schema(type = "integer"))),
            @ApiResponse(responseCode = "400", description = "A bad condition or page",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Response list(
            @Parameter(description = "a condition, as in deployments: tags.site = 'plant-1'") @QueryParam("q") String q,
            @Parameter(description = "devices to skip (default 0)") @QueryParam("offset") String offset,
            @Parameter(description = "1 to 10,000 (default 1,000)") @QueryParam("limit") String limit) {
        Condition condition = null;
        if (q != null && !q.isBlank()) {
            try {
                condition = Condition.parse(q);
            } catch (ConditionException e) {
                throw new ApiException(400, "q: " + e.getMessage(), "q");
            }
        }
        int from = QueryNumbers.number(offset, "offset", 0, 0, Integer.MAX_VALUE);
        int size = QueryNumbers.number(limit, "limit", 1000, 1, 10_000);
        // The page first, then its devices' data: a fixed number of reads, whatever the page's size or the fleet's.
        List<Device> all = registry.devices();
        List<Device> devices = all;
        if (condition != null) {
            Set<String> matching = new HashSet<>(twins.query(condition));
            devices = devices.stream().filter(d -> matching.contains(d.id())).toList();
        }
        int total = devices.size();
        List<Device> page = devices.subList(Math.min(from, total), (int) Math.min((long) from + size, total));
        List<Map<String, Object>> out = views.summaries(page, DeviceViews.childCounts(all));
        return Response.ok(out).header("X-Total-Count", Integer.toString(total)).build();
    }

    @GET
    @Path("{deviceId}")
    @Operation(summary = "One device: its summary, twins ($edgeAgent, $edgeHub, its own) and recent telemetry",
            responses = {@ApiResponse(responseCode = "200", description = "Device"),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> device(@PathParam("deviceId") String id) {
        return detail(existing(id));
    }

    @PUT
    @Path("{deviceId}")
    @Operation(summary = "Registers a device, below a parent gateway if one is given", requestBody = @RequestBody(
            description = "{\"tags\": {...}, \"primaryKey\": \"...\", \"secondaryKey\": \"...\", \"parentId\":"
                    + " \"<gateway>\"}, all optional"), responses = {
                    @ApiResponse(responseCode = "201", description = "Registered, with its primary key (shown once)"),
                    @ApiResponse(responseCode = "400", description = "Bad keys or tags; nothing changed",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "409", description = "The device exists",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Response create(@PathParam("deviceId") String id, @Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        if (registry.device(id).isPresent()) {
            throw new ApiException(409, "device '" + id + "' exists; rotate its keys with POST /api/devices/" + id
                    + "/keys/primary/rotate", null);
        }
        if (body.has("tags")) {
            // Checked before the device exists: a bad tag set registers nothing.
            TwinDocument.patchSection(ApiJson.MAPPER.createObjectNode(), body.get("tags").toString(), "tags",
                    TwinLimits.IOT_HUB);
        }
        String parent = DeviceParents.parentOf(body, registry);
        String key;
        try {
            key = registry.importDevices(List.of(new NewDevice(id, body.path("primaryKey").textValue(),
                    body.path("secondaryKey").textValue(), parent))).get(id);
        } catch (IllegalArgumentException e) {
            throw DeviceParents.refusal(e, parent);
        }
        if (body.has("tags")) {
            try {
                twins.patchTags(id, body.get("tags").toString());
            } catch (RuntimeException e) {
                // Nothing half-made: the device goes again (the hub's own tag limits may be tighter than IoT Hub's).
                registry.delete(id);
                throw e;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deviceId", id);
        out.put("primaryKey", key);
        if (parent != null) {
            out.put("parentId", parent);
        }
        return Response.status(201).entity(out).build();
    }

    @PATCH
    @Path("{deviceId}")
    @Operation(summary = "Enables or disables a device, moves it below another parent (or none), and/or merges a"
            + " patch into its tags", requestBody = @RequestBody(description = "{\"status\": \"enabled\" or"
                    + " \"disabled\", \"parentId\": \"<gateway>\" or null, \"tags\": <merge patch>}"), responses = {
                            @ApiResponse(responseCode = "200", description = "Device"),
                            @ApiResponse(responseCode = "400", description = "Bad input; nothing changed",
                                    content = @Content(schema = @Schema(implementation = ApiError.class))),
                            @ApiResponse(responseCode = "404", description = "No such device",
                                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> patch(@PathParam("deviceId") String id, @Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        existing(id);
        JsonNode status = body.path("status");
        if (!status.isMissingNode() && !status.asText().equals("enabled") && !status.asText().equals("disabled")) {
            throw new ApiException(400, "status is 'enabled' or 'disabled'", "status");
        }
        if (body.has("parentId")) {
            DeviceParents.move(registry, id, body.get("parentId"));
        }
        if (!status.isMissingNode()) {
            registry.setEnabled(id, status.asText().equals("enabled"));
        }
        if (body.has("tags")) {
            twins.patchTags(id, body.get("tags").toString());
        }
        return detail(existing(id));
    }

    @DELETE
    @Path("{deviceId}")
    @Operation(summary = "Deletes a device with its twins and queued messages", responses = {
            @ApiResponse(responseCode = "204", description = "Deleted"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void delete(@PathParam("deviceId") String id) {
        if (!registry.delete(id)) {
            throw new ApiException(404, "no device '" + id + "'", null);
        }
    }

    @POST
    @Path("{deviceId}/keys/{which}/rotate")
    @Operation(summary = "A new primary or secondary key (the other keeps working)", responses = {
            @ApiResponse(responseCode = "200", description = "The new key"),
            @ApiResponse(responseCode = "404", description = "No such device or key",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, String> rotate(@PathParam("deviceId") String id,
            @Parameter(schema = @Schema(allowableValues = {"primary", "secondary"})) @PathParam("which")
            String which) {
        existing(id);
        if (!which.equals("primary") && !which.equals("secondary")) {
            throw new ApiException(404, "keys are 'primary' or 'secondary', not '" + which + "'", null);
        }
        return Map.of("deviceId", id, which + "Key", registry.rotateKey(id, which.equals("secondary")));
    }

    @GET
    @Path("{deviceId}/telemetry")
    @Operation(summary = "The device's newest telemetry, oldest first", responses = {
            @ApiResponse(responseCode = "200", description = "Messages"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<Object> telemetry(@PathParam("deviceId") String id,
            @Parameter(description = "1 to 1000 (default 20)") @QueryParam("limit") String limit) {
        existing(id);
        return views.recent(id, QueryNumbers.number(limit, "limit", DeviceViews.RECENT_TELEMETRY, 1, 1000));
    }

    @GET
    @Path("{deviceId}/tags")
    @Operation(summary = "A device's tags", responses = {@ApiResponse(responseCode = "200", description = "Tags"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode tags(@PathParam("deviceId") String id) {
        existing(id);
        return twins.tags(id);
    }

    @PATCH
    @Path("{deviceId}/tags")
    @Operation(summary = "Merges a patch into a device's tags; deployments follow",
            requestBody = @RequestBody(description = "a JSON merge patch of the tags"), responses = {
                    @ApiResponse(responseCode = "200", description = "Tags"),
                    @ApiResponse(responseCode = "400", description = "Bad tags; nothing changed",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode patchTags(@PathParam("deviceId") String id, @Parameter(hidden = true) InputStream in) {
        existing(id);
        return twins.patchTags(id, ApiJson.body(in).toString());
    }

    @GET
    @Path("{deviceId}/twin")
    @Operation(summary = "The device's own twin", responses = {@ApiResponse(responseCode = "200",
            description = "Twin"), @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode twin(@PathParam("deviceId") String id) {
        return twin(id, null);
    }

    @PATCH
    @Path("{deviceId}/twin")
    @Operation(summary = "Merges a patch into its desired properties", requestBody = @RequestBody(
            description = "{\"properties\": {\"desired\": {...}}}"), responses = {
                    @ApiResponse(responseCode = "200", description = "Twin"),
                    @ApiResponse(responseCode = "400", description = "Bad patch; nothing changed",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode patchTwin(@PathParam("deviceId") String id, @Parameter(hidden = true) InputStream in) {
        return patchDesired(id, null, in);
    }

    @GET
    @Path("{deviceId}/modules")
    @Operation(summary = "The device's module identities, as its gateway registered them (keys are not shown)",
            responses = {@ApiResponse(responseCode = "200", description = "Module identities, by module id"),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<Map<String, Object>> modules(@PathParam("deviceId") String id) {
        existing(id);
        try {
            return modules.modules(id).stream().map(DeviceViews::module).toList();
        } catch (IllegalArgumentException deleted) {
            throw new ApiException(404, "no device '" + id + "'", null);
        }
    }

    @GET
    @Path("{deviceId}/modules/{moduleId}")
    @Operation(summary = "One module identity (its keys are not shown)", responses = {
            @ApiResponse(responseCode = "200", description = "Module identity"),
            @ApiResponse(responseCode = "404", description = "No such device or module identity",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> module(@PathParam("deviceId") String id, @PathParam("moduleId") String module) {
        existing(id);
        return modules.module(id, module).map(DeviceViews::module).orElseThrow(() -> new ApiException(404,
                "no module identity '" + id + "/" + module + "' (a gateway registers its modules when it connects;"
                        + " $edgeAgent and $edgeHub have none)", null));
    }

    @GET
    @Path("{deviceId}/modules/{moduleId}/twin")
    @Operation(summary = "A module's twin", responses = {@ApiResponse(responseCode = "200", description = "Twin"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode moduleTwin(@PathParam("deviceId") String id,
            @Parameter(description = "$edgeAgent, $edgeHub or a module") @PathParam("moduleId") String module) {
        return twin(id, module);
    }

    @PATCH
    @Path("{deviceId}/modules/{moduleId}/twin")
    @Operation(summary = "Merges a patch into a module twin's desired properties", requestBody = @RequestBody(
            description = "{\"properties\": {\"desired\": {...}}}"), responses = {
                    @ApiResponse(responseCode = "200", description = "Twin"),
                    @ApiResponse(responseCode = "400", description = "Bad patch; nothing changed",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public JsonNode patchModuleTwin(@PathParam("deviceId") String id, @PathParam("moduleId") String module,
            @Parameter(hidden = true) InputStream in) {
        return patchDesired(id, module, in);
    }

    private JsonNode twin(String id, String module) {
        existing(id);
        return ApiJson.read(twins.twin(id, module).toJson());
    }

    private JsonNode patchDesired(String id, String module, InputStream in) {
        existing(id);
        JsonNode desired = ApiJson.body(in).path("properties").path("desired");
        if (!desired.isObject()) {
            throw new ApiException(400, "give {\"properties\": {\"desired\": {...}}}, a merge patch of the"
                    + " desired properties", "properties.desired");
        }
        return ApiJson.read(twins.patchDesired(id, module, desired.toString()).toJson());
    }

    /** The device with its children's ids. */
    private Map<String, Object> detail(Device d) {
        List<String> children;
        try {
            children = registry.children(d.id()).stream().map(Device::id).toList();
        } catch (IllegalArgumentException deleted) {
            throw new ApiException(404, "no device '" + d.id() + "'", null);
        }
        return views.detail(d, children);
    }

    private Device existing(String id) {
        return registry.device(id).orElseThrow(() -> new ApiException(404, "no device '" + id + "'", null));
    }
}
