/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.outpost.hub.api.DeviceRegistry;
import org.outpost.hub.metrics.MetricSeries;

/**
 * {@code /api/metrics}: the metric time series the hub keeps, per device ({@code devices/{deviceId}}: what its
 * gateway uploads) and for the fleet ({@code fleet}: what the hub samples). A query names metrics (globs), a range
 * ({@code since} back from now, or {@code from} and {@code to}), and may ask for counters as rates per second.
 */
@Component(service = MetricsResource.class)
@JaxrsResource
@JaxrsExtensionSelect({Extensions.SELECT_AUTH, Extensions.SELECT_JSON, Extensions.SELECT_HEADERS,
        Extensions.SELECT_ERRORS, Extensions.SELECT_UNROUTED})
@Path("metrics")
@Tag(name = "metrics")
public final class MetricsResource {

    /** The longest range one query may cover. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    /**
     * The answer to a query.
     *
     * @param deviceId the device, or {@code $fleet}
     * @param from the range's start
     * @param to its end
     * @param resolution {@code auto}, {@code raw} or {@code rollup}, as asked
     * @param rate whether counters are rates per second
     * @param series the series with their points ({@code t} epoch milliseconds, {@code v} the value)
     */
    @Schema(name = "MetricsQuery")
    record Answer(String deviceId, String from, String to, String resolution, boolean rate,
            List<MetricSeries.Series> series) {
    }

    private final MetricSeries metrics;
    private final DeviceRegistry registry;
    private final Clock clock;

    @Activate
    public MetricsResource(@Reference MetricSeries metrics, @Reference DeviceRegistry registry) {
        this(metrics, registry, Clock.systemUTC());
    }

    MetricsResource(MetricSeries metrics, DeviceRegistry registry, Clock clock) {
        this.metrics = metrics;
        this.registry = registry;
        this.clock = clock;
    }

    @GET
    @Path("devices/{deviceId}")
    @Operation(summary = "A device's metric series with their points in a range", responses = {
            @ApiResponse(responseCode = "200", description = "The series"),
            @ApiResponse(responseCode = "400", description = "A bad parameter",
                    content = @Content(schema = @Schema(implementation = ApiError.class))),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Answer device(@PathParam("deviceId") String id,
            @Parameter(description = "metric names or globs (* and ?), repeatable; none: every series")
            @QueryParam("name") List<String> names,
            @Parameter(description = "how far back from now, an ISO-8601 duration (default PT1H)")
            @QueryParam("since") String since,
            @Parameter(description = "the range's start, an ISO-8601 instant (instead of since)")
            @QueryParam("from") String from,
            @Parameter(description = "the range's end, an ISO-8601 instant (default now)") @QueryParam("to") String to,
            @Parameter(schema = @Schema(allowableValues = {"auto", "raw", "rollup"}),
                    description = "raw points, rollups, or auto: raw within the raw retention (default)")
            @QueryParam("resolution") String resolution,
            @Parameter(description = "true: counters as their rate per second (default false)")
            @QueryParam("rate") String rate,
            @Parameter(description = "points per series at most, 2 to 5000 (default 300)")
            @QueryParam("points") String points) {
        existing(id);
        return query(id, names, since, from, to, resolution, rate, points);
    }

    @GET
    @Path("devices/{deviceId}/series")
    @Operation(summary = "A device's metric series, without points", responses = {
            @ApiResponse(responseCode = "200", description = "The series"),
            @ApiResponse(responseCode = "404", description = "No such device",
                    content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public List<MetricSeries.Series> deviceSeries(@PathParam("deviceId") String id) {
        existing(id);
        return metrics.series(id);
    }

    @GET
    @Path("fleet")
    @Operation(summary = "The fleet's own metric series (sampled by the hub) with their points in a range",
            responses = {@ApiResponse(responseCode = "200", description = "The series"),
                @ApiResponse(responseCode = "400", description = "A bad parameter",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))})
    public Answer fleet(@QueryParam("name") List<String> names, @QueryParam("since") String since,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("resolution") String resolution, @QueryParam("rate") String rate,
            @QueryParam("points") String points) {
        return query(MetricSeries.FLEET, names, since, from, to, resolution, rate, points);
    }

    @GET
    @Path("fleet/series")
    @Operation(summary = "The fleet's own metric series, without points",
            responses = @ApiResponse(responseCode = "200", description = "The series"))
    public List<MetricSeries.Series> fleetSeries() {
        return metrics.series(MetricSeries.FLEET);
    }

    private Answer query(String id, List<String> names, String since, String from, String to, String resolution,
            String rate, String points) {
        Instant end = to == null ? clock.instant() : instant(to, "to");
        Instant start = from != null ? instant(from, "from") : end.minus(duration(since));
        if (!start.isBefore(end)) {
            throw new ApiException(400, "from (" + start + ") must be before to (" + end + ")", "from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new ApiException(400, "the range is longer than " + MAX_RANGE.toDays() + " days", "from");
        }
        String res = resolution == null ? "auto" : resolution.toLowerCase(Locale.ROOT);
        MetricSeries.Resolution r = switch (res) {
            case "auto" -> MetricSeries.Resolution.AUTO;
            case "raw" -> MetricSeries.Resolution.RAW;
            case "rollup" -> MetricSeries.Resolution.ROLLUP;
            default -> throw new ApiException(400, "resolution is auto, raw or rollup, not '" + resolution + "'",
                    "resolution");
        };
        if (rate != null && !rate.equals("true") && !rate.equals("false")) {
            throw new ApiException(400, "rate is 'true' or 'false'", "rate");
        }
        List<String> globs = names == null ? List.of() : names.stream().filter(n -> !n.isBlank()).toList();
        for (String g : globs) {
            if (!g.matches("[a-zA-Z0-9_:*?]{1,200}")) {
                throw new ApiException(400, "name '" + g + "' is not a metric name or glob (letters, digits, _, :,"
                        + " * and ?)", "name");
            }
        }
        boolean asRate = "true".equals(rate);
        int max = QueryNumbers.number(points, "points", 300, 2, 5000);
        return new Answer(id, start.toString(), end.toString(), res, asRate, metrics.query(new MetricSeries.Query(
                id, globs, start, end, r, asRate, max)));
    }

    private static Instant instant(String s, String name) {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw new ApiException(400, name + " is an ISO-8601 instant such as 2026-12-05T10:00:00Z, not '" + s
                    + "'", name);
        }
    }

    private static Duration duration(String since) {
        if (since == null) {
            return Duration.ofHours(1);
        }
        try {
            Duration d = Duration.parse(since);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeException e) {
            // Said below.
        }
        throw new ApiException(400, "since is an ISO-8601 duration such as PT1H or P7D, not '" + since + "'",
                "since");
    }

    private void existing(String id) {
        if (registry.device(id).isEmpty()) {
            throw new ApiException(404, "no device '" + id + "'", null);
        }
    }
}
