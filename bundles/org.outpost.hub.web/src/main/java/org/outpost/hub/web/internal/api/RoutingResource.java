/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
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
import org.outpost.hub.routing.HubRouting;

/**
 * {@code /api/routing}: message routing to endpoints (IoT Hub's routes and custom endpoints), the endpoints' queues
 * and dead letters, and the built-in endpoint's consumer groups.
 */
@Component(service = RoutingResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("routing")
@Tag(name = "routing")
public final class RoutingResource {

    private static final String WRONG = "What is wrong, with its JSON path";
    private final HubRouting routing;

    @Activate
    public RoutingResource(@Reference HubRouting routing) {
        this.routing = routing;
    }

    /** Runs a change, turning the service's refusals into 400 and 404 with their message. */
    private static <T> T checked(Supplier<T> change) {
        try {
            return change.get();
        } catch (NoSuchElementException e) {
            throw new ApiException(404, e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(':');
            String path = colon > 0 && m.substring(0, colon).matches("[A-Za-z.]+") ? "$." + m.substring(0, colon)
                    : null;
            throw new ApiException(400, m, path);
        }
    }

    @GET
    @Path("endpoints")
    @Operation(summary = "Endpoints with their queues: queued, delivered, failed attempts, dead letters, last error,"
            + " lag (ms the oldest queued message has waited) and the node delivering it",
            responses = @ApiResponse(responseCode = "200", description = "Endpoints"))
    public List<Map<String, Object>> endpoints() {
        return routing.endpoints().stream().map(RoutingViews::endpoint).toList();
    }

    @GET
    @Path("endpoints/{name}")
    @Operation(summary = "An endpoint and its queue", responses = {
            @ApiResponse(responseCode = "200", description = "Endpoint"),
            @ApiResponse(responseCode = "404", description = "No such endpoint",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> endpoint(@PathParam("name") String name) {
        return RoutingViews.endpoint(routing.endpoint(name).orElseThrow(() -> new ApiException(404,
                "no endpoint '" + name + "'", null)));
    }

    @PUT
    @Path("endpoints/{name}")
    @Operation(summary = "Creates or replaces an endpoint (its queue stays)", requestBody = @RequestBody(
            description = "{\"type\": \"webhook\", \"settings\": {\"url\": \"https://...\", \"batch\": true,"
                    + " \"timeoutMs\": 10000, \"headers\": {}}}; other types (postgres, files, kafka) come with"
                    + " their features"), responses = {
                            @ApiResponse(responseCode = "200", description = "Endpoint"),
                            @ApiResponse(responseCode = "400", description = WRONG,
                                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> putEndpoint(@PathParam("name") String name, @Parameter(hidden = true)
            InputStream in) {
        JsonNode body = ApiJson.body(in);
        String type = body.path("type").asText("");
        if (type.isBlank()) {
            throw new ApiException(400, "give the type: {\"type\": \"webhook\", \"settings\": {...}}", "$.type");
        }
        JsonNode s = body.path("settings");
        if (!s.isMissingNode() && !s.isNull() && !s.isObject()) {
            throw new ApiException(400, "settings must be a JSON object", "$.settings");
        }
        Map<String, Object> settings = s.isObject() ? ApiJson.MAPPER.convertValue(s,
                new TypeReference<LinkedHashMap<String, Object>>() {
                }) : Map.of();
        return RoutingViews.endpoint(checked(() -> routing.putEndpoint(name, type, settings)));
    }

    @DELETE
    @Path("endpoints/{name}")
    @Operation(summary = "Deletes an endpoint with its queue and dead letters", responses = {
            @ApiResponse(responseCode = "204", description = "Deleted"),
            @ApiResponse(responseCode = "400", description = "A route sends to it, or it is the built-in one",
                    content = @Content(schema = @Schema(implementation = ApiError.class))),
            @ApiResponse(responseCode = "404", description = "No such endpoint",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void deleteEndpoint(@PathParam("name") String name) {
        if (!checked(() -> routing.deleteEndpoint(name))) {
            throw new ApiException(404, "no endpoint '" + name + "'", null);
        }
    }

    @GET
    @Path("endpoints/{name}/deadletters")
    @Operation(summary = "An endpoint's dead letters, oldest first, with why each failed", responses = {
            @ApiResponse(responseCode = "200", description = "Dead letters"),
            @ApiResponse(responseCode = "404", description = "No such endpoint",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<Map<String, Object>> deadLetters(@PathParam("name") String name, @Parameter(
            description = "1 to 1000 (default 100)") @QueryParam("limit") String limit) {
        int n = (int) QueryNumbers.number(limit, "limit", 100, 1, 1000);
        return checked(() -> routing.deadLetters(name, n)).stream().map(RoutingViews::deadLetter).toList();
    }

    @POST
    @Path("endpoints/{name}/deadletters/replay")
    @Operation(summary = "Puts dead letters back at the end of the endpoint's queue", requestBody = @RequestBody(
            description = "{\"sequences\": [12, 13]}, or nothing for all"), responses = {
                    @ApiResponse(responseCode = "200", description = "{\"replayed\": n}"),
                    @ApiResponse(responseCode = "404", description = "No such endpoint",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> replay(@PathParam("name") String name, @Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        List<Long> sequences = new ArrayList<>();
        JsonNode seqs = body.path("sequences");
        if (!seqs.isMissingNode() && !seqs.isArray()) {
            throw new ApiException(400, "sequences must be an array of numbers", "$.sequences");
        }
        seqs.forEach(n -> sequences.add(n.asLong()));
        return Map.of("replayed", checked(() -> routing.replay(name, sequences)));
    }

    @GET
    @Path("routes")
    @Operation(summary = "Routes, with the fallback route $fallback", responses = @ApiResponse(
            responseCode = "200", description = "Routes"))
    public List<Map<String, Object>> routes() {
        return routing.routes().stream().map(RoutingViews::route).toList();
    }

    @GET
    @Path("routes/{name}")
    @Operation(summary = "A route", responses = {@ApiResponse(responseCode = "200", description = "Route"),
            @ApiResponse(responseCode = "404", description = "No such route",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> route(@PathParam("name") String name) {
        return RoutingViews.route(routing.route(name).orElseThrow(() -> new ApiException(404, "no route '" + name
                + "'", null)));
    }

    @PUT
    @Path("routes/{name}")
    @Operation(summary = "Creates or replaces a route", requestBody = @RequestBody(description = "{\"source\":"
            + " \"DeviceMessages\", \"condition\": \"$body.temperature > 30\", \"endpoints\": [\"e1\"], \"enabled\":"
            + " true}; the condition in IoT Hub's routing query syntax (default true)"), responses = {
                    @ApiResponse(responseCode = "200", description = "Route"),
                    @ApiResponse(responseCode = "400", description = WRONG,
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> putRoute(@PathParam("name") String name, @Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        List<String> endpoints = new ArrayList<>();
        JsonNode eps = body.path("endpoints");
        if (!eps.isMissingNode() && !eps.isArray()) {
            throw new ApiException(400, "endpoints must be an array of endpoint names", "$.endpoints");
        }
        eps.forEach(n -> endpoints.add(n.asText()));
        if (HubRouting.FALLBACK.equals(name) && endpoints.isEmpty()) {
            endpoints.add(HubRouting.BUILT_IN);
        }
        HubRouting.Route r = new HubRouting.Route(name, body.path("source").asText("DeviceMessages"),
                body.path("condition").asText("true"), endpoints, body.path("enabled").asBoolean(true));
        return RoutingViews.route(checked(() -> routing.putRoute(r)));
    }

    @DELETE
    @Path("routes/{name}")
    @Operation(summary = "Deletes a route (the fallback route is disabled instead)", responses = {
            @ApiResponse(responseCode = "204", description = "Deleted"),
            @ApiResponse(responseCode = "404", description = "No such route",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void deleteRoute(@PathParam("name") String name) {
        if (!checked(() -> routing.deleteRoute(name))) {
            throw new ApiException(404, "no route '" + name + "'", null);
        }
    }

    @POST
    @Path("test")
    @Operation(summary = "Evaluates a condition against a sample message, and names the routes it would take",
            requestBody = @RequestBody(description = "{\"condition\": \"$body.t > 30\", \"message\": {\"body\":"
                    + " {...} or \"text\", \"properties\": {...}, \"systemProperties\": {\"connectionDeviceId\":"
                    + " \"d1\", \"contentType\": \"application/json\"}}}"), responses = {
                            @ApiResponse(responseCode = "200", description = "{\"result\": \"true\" | \"false\" |"
                                    + " \"undefined\", \"undefinedOperand\", \"routes\"}"),
                            @ApiResponse(responseCode = "400", description = "The condition does not compile",
                                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> test(@Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        HubRouting.TestResult r = checked(() -> routing.test(body.path("condition").asText("true"),
                RoutingViews.sample(body.path("message"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", r.result());
        out.put("undefinedOperand", r.undefinedOperand());
        out.put("routes", r.routes());
        return out;
    }

    @GET
    @Path("consumergroups")
    @Operation(summary = "Consumer groups of the built-in endpoint 'events', with what waits for each on this node",
            responses = @ApiResponse(responseCode = "200", description = "Consumer groups"))
    public List<Map<String, Object>> groups() {
        return routing.consumerGroups().stream().map(RoutingViews::group).toList();
    }

    @PUT
    @Path("consumergroups/{name}")
    @Operation(summary = "Adds a consumer group; the answer holds its token, shown this once", responses = {
            @ApiResponse(responseCode = "201", description = "{\"name\", \"username\", \"token\", \"topic\"}"),
            @ApiResponse(responseCode = "400", description = "A wrong or taken name",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public javax.ws.rs.core.Response addGroup(@PathParam("name") String name) {
        String token = checked(() -> routing.addConsumerGroup(name));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("username", "$events/" + name);
        out.put("token", token);
        out.put("topic", "$share/" + name + "/outpost/events");
        return javax.ws.rs.core.Response.status(201).entity(out).build();
    }

    @DELETE
    @Path("consumergroups/{name}")
    @Operation(summary = "Removes a consumer group and what waits in its queue", responses = {
            @ApiResponse(responseCode = "204", description = "Removed"),
            @ApiResponse(responseCode = "404", description = "No such group",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void removeGroup(@PathParam("name") String name) {
        if (!routing.removeConsumerGroup(name)) {
            throw new ApiException(404, "no consumer group '" + name + "'", null);
        }
    }
}
