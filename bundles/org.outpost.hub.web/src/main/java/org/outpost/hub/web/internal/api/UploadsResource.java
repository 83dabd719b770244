/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Response;

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
import org.outpost.hub.uploads.Uploads;

/**
 * {@code /api/uploads}: support bundles and module logs asked of devices ({@code $edgeAgent}'s
 * {@code UploadSupportBundle} and {@code UploadModuleLogs}), their progress and their files.
 */
@Component(service = UploadsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("uploads")
@Tag(name = "uploads")
public final class UploadsResource {

    private static final String NOT_FOUND = "No such upload";
    private final Uploads uploads;

    @Activate
    public UploadsResource(@Reference Uploads uploads) {
        this.uploads = uploads;
    }

    @POST
    @Operation(summary = "Asks a device to upload a support bundle or its modules' logs to the hub; answers once the"
            + " device took the request (taskStatus NotStarted or Running) or refused it (Refused, with its message)",
            requestBody = @RequestBody(description = "{\"deviceId\": \"gw\", \"kind\": \"support-bundle\" |"
                    + " \"module-logs\", \"options\": {...}}: options of a support bundle: since, until (90s, 10m,"
                    + " 2h, 1d, RFC 3339 or UNIX seconds), edgeRuntimeOnly; of module logs: items ([{\"id\":"
                    + " \"<module regex>\", \"filter\": {\"tail\", \"since\", \"until\", \"loglevel\", \"regex\"}}],"
                    + " default the newest 1000 entries of every module), encoding (none, gzip), contentType (text,"
                    + " json)"), responses = {
                    @ApiResponse(responseCode = "201", description = "Upload"),
                    @ApiResponse(responseCode = "400", description = "A wrong kind or options",
                            content = @Content(schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "404", description = "No such device",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Response request(@Parameter(hidden = true) InputStream in) {
        JsonNode body = ApiJson.body(in);
        String device = body.path("deviceId").asText("");
        if (device.isBlank()) {
            throw new ApiException(400, "give the device: {\"deviceId\": \"<device>\", \"kind\": \"support-bundle\"}",
                    "$.deviceId");
        }
        Uploads.Kind kind = kind(body.path("kind").asText("support-bundle"));
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw new ApiException(400, "options must be a JSON object", "$.options");
        }
        Uploads.Upload u;
        try {
            u = uploads.request(device, kind, options.isObject() ? options.toString() : null);
        } catch (IllegalArgumentException e) {
            throw new ApiException(e.getMessage().startsWith("there is no device") ? 404 : 400, e.getMessage(),
                    null);
        }
        return Response.status(201).entity(view(u)).build();
    }

    static Uploads.Kind kind(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "support-bundle", "supportbundle", "uploadsupportbundle" -> Uploads.Kind.SUPPORT_BUNDLE;
            case "module-logs", "logs", "modulelogs", "uploadmodulelogs" -> Uploads.Kind.MODULE_LOGS;
            default -> throw new ApiException(400, "kind is 'support-bundle' or 'module-logs', not '" + text + "'",
                    "$.kind");
        };
    }

    @GET
    @Operation(summary = "Uploads, newest first", responses = @ApiResponse(responseCode = "200",
            description = "Uploads"))
    public List<Map<String, Object>> list(@Parameter(description = "Only this device's") @QueryParam("device")
            String device, @Parameter(description = "1 to 1000 (default 100)") @QueryParam("limit") String limit) {
        return uploads.list(device == null || device.isBlank() ? null : device,
                QueryNumbers.number(limit, "limit", 100, 1, 1000)).stream().map(UploadsResource::view).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An upload, its task's status asked of the device again while it runs, and its files",
            responses = {@ApiResponse(responseCode = "200", description = "Upload"),
                    @ApiResponse(responseCode = "404", description = NOT_FOUND,
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Map<String, Object> get(@PathParam("id") String id) {
        return view(uploads.get(id).orElseThrow(() -> new ApiException(404, "no upload '" + id + "'", null)));
    }

    @GET
    @Path("{id}/files/{seq}")
    @Operation(summary = "A file of an upload, as the device sent it (a zip, or text or JSON, gzip if asked)",
            responses = {@ApiResponse(responseCode = "200", description = "The file"),
                    @ApiResponse(responseCode = "404", description = "No such upload or file",
                            content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Response file(@PathParam("id") String id, @PathParam("seq") String seq) {
        long n = QueryNumbers.number(seq, "seq", -1, 0, Integer.MAX_VALUE);
        Uploads.Upload u = uploads.get(id).orElseThrow(() -> new ApiException(404, "no upload '" + id + "'", null));
        Uploads.UploadFile f = u.files().stream().filter(x -> x.seq() == n).findFirst()
                .orElseThrow(() -> new ApiException(404, "upload '" + id + "' has no file " + seq, null));
        byte[] content = uploads.content(id, n).orElseThrow(() -> new ApiException(404, "upload '" + id
                + "' has no file " + seq, null));
        String fileName = f.name().substring(f.name().lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return Response.ok(new ByteArrayInputStream(content)).type(f.contentType())
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .header("Content-Length", content.length).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Deletes an upload and its files", responses = {
            @ApiResponse(responseCode = "204", description = "Deleted"),
            @ApiResponse(responseCode = "404", description = NOT_FOUND,
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public void delete(@PathParam("id") String id) {
        if (!uploads.delete(id)) {
            throw new ApiException(404, "no upload '" + id + "'", null);
        }
    }

    static Map<String, Object> view(Uploads.Upload u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("deviceId", u.deviceId());
        m.put("kind", u.kind() == Uploads.Kind.SUPPORT_BUNDLE ? "support-bundle" : "module-logs");
        m.put("options", ApiJson.read(u.request()));
        m.put("correlationId", u.correlationId());
        m.put("taskStatus", u.taskStatus());
        m.put("message", u.message());
        m.put("created", u.created().toString());
        m.put("urlExpires", u.urlExpires().toString());
        m.put("files", u.files().stream().map(f -> {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("seq", f.seq());
            fm.put("name", f.name());
            fm.put("contentType", f.contentType());
            fm.put("contentEncoding", f.contentEncoding());
            fm.put("bytes", f.bytes());
            fm.put("sha256", f.sha256());
            fm.put("received", f.received().toString());
            fm.put("href", "/api/uploads/" + u.id() + "/files/" + f.seq());
            return fm;
        }).toList());
        return m;
    }
}
