/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.Deployments;
import org.outpost.hub.api.Device;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.api.Twins;
import org.outpost.hub.deployments.HubDeployment;

/** {@code /api/deployments}: deployments at scale, created, retargeted, deleted, and checked before creating. */
@Component(service = DeploymentsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("deployments")
@Tag(name = "deployments")
public final class DeploymentsResource {

    private static final String REFUSED = "Refused; nothing changed";

    private final Deployments deployments;
    private final DeviceRegistry registry;
    private final Twins twins;

    @Activate
    public DeploymentsResource(@Reference Deployments deployments, @Reference DeviceRegistry registry,
            @Reference Twins twins) {
        this.deployments = deployments;
        this.registry = registry;
        this.twins = twins;
    }

    @GET
    @Operation(summary = "Every deployment with its system metrics, highest priority first", responses =
            @ApiResponse(responseCode = "200", description = "Deployments"))
    public List<Map<String, Object>> list() {
        return deployments.deployments().stream().map(DeploymentsResource::summary).toList();
    }

    @POST
    @Path("check")
    @Operation(summary = "Checks a deployment as creating it would and lists the devices it would target, changing"
            + " nothing", requestBody = @RequestBody(description = "a deployment"), responses = {
                    @ApiResponse(responseCode = "200", description = "What creating it would do"),
                    @ApiResponse(responseCode = "400", description = "Refused, with the JSON path",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> check(@Parameter(hidden = true) InputStream in) {
        HubDeployment d = HubDeployment.parse(ApiJson.body(in).toString(), Instant.now());
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

    @GET
    @Path("{deploymentId}")
    @Operation(summary = "A deployment with its content and its devices by state", responses = {
            @ApiResponse(responseCode = "200", description = "Deployment"),
            @ApiResponse(responseCode = "404", description = "No such deployment",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> deployment(@PathParam("deploymentId") String id) {
        return detail(deployments.deployment(id).orElseThrow(() -> noDeployment(id)));
    }

    @PUT
    @Path("{deploymentId}")
    @Operation(summary = "Creates a deployment; the hub sets it on every device it targets, now and as tags and"
            + " devices change", requestBody = @RequestBody(description = "the deployment (its id may be left"
                    + " out)"), responses = {@ApiResponse(responseCode = "201", description = "Deployment"),
                            @ApiResponse(responseCode = "400", description = REFUSED,
                                    content = @Content(schema = @Schema(implementation = ApiError.class))),
                            @ApiResponse(responseCode = "409", description = "The deployment exists",
                                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Response create(@PathParam("deploymentId") String id, @Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        if (!(body instanceof ObjectNode o)) {
            throw new ApiException(400, "a deployment is a JSON object", "$");
        }
        if (o.has("id") && !o.path("id").asText().equals(id)) {
            throw new ApiException(400, "the body's id '" + o.path("id").asText() + "' is not the URL's '" + id
                    + "'", "id");
        }
        o.put("id", id);
        if (deployments.deployment(id).isPresent()) {
            throw new ApiException(409, "deployment '" + id + "' exists and its content cannot change: create"
                    + " another with a higher priority, then delete this one", "id");
        }
        return Response.status(201).entity(detail(deployments.create(o.toString()))).build();
    }

    @PATCH
    @Path("{deploymentId}")
    @Operation(summary = "Retargets a deployment: its priority, targetCondition and labels (its content cannot"
            + " change); widening the condition rolls it out further", requestBody = @RequestBody(
                    description = "{\"targetCondition\": ..., \"priority\": ..., \"labels\": {...}}"), responses = {
                            @ApiResponse(responseCode = "200", description = "Deployment"),
                            @ApiResponse(responseCode = "400", description = REFUSED,
                                    content = @Content(schema = @Schema(implementation = ApiError.class))),
                            @ApiResponse(responseCode = "404", description = "No such deployment",
                                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> retarget(@PathParam("deploymentId") String id,
            @Parameter(hidden = true) InputStream in) {
        if (deployments.deployment(id).isEmpty()) {
            throw noDeployment(id);
        }
        return detail(deployments.update(id, ApiJson.body(in).toString()));
    }

    @DELETE
    @Path("{deploymentId}")
    @Operation(summary = "Deletes a deployment; its devices get what their other deployments add up to",
            responses = {@ApiResponse(responseCode = "204", description = "Deleted"),
                    @ApiResponse(responseCode = "404", description = "No such deployment",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void delete(@PathParam("deploymentId") String id) {
        if (!deployments.delete(id)) {
            throw noDeployment(id);
        }
    }

    private static ApiException noDeployment(String id) {
        return new ApiException(404, "no deployment '" + id + "'", null);
    }

    static Map<String, Object> summary(DeploymentStatus s) {
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

    static Map<String, Object> detail(DeploymentStatus s) {
        Map<String, Object> m = summary(s);
        m.put("content", Map.of("modulesContent", s.deployment().modulesContent()));
        m.put("targetedDevices", s.targeted());
        m.put("appliedDevices", s.applied());
        m.put("succeededDevices", s.succeeded());
        m.put("failedDevices", s.failed());
        m.put("pendingDevices", s.pending());
        return m;
    }
}
