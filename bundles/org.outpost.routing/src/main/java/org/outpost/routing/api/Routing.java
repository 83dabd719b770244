/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.api.message.Message;

/** The gateway's router. */
@ProviderType
public interface Routing {

    /**
     * The output name of twin change notifications: a message routed with it (and the changed module as its
     * {@code connectionModuleId}) has the source {@code /twinChangeNotifications}, not a module output. Modules cannot
     * send to it: output names do not start with {@code $}.
     */
    String TWIN_CHANGE_NOTIFICATIONS = "$twinChangeNotifications";

    /**
     * Routes a message a module sent: the running routes choose its endpoints, and it is stored durably in the queue of
     * each (once per endpoint, with the best priority of the routes that took it there). Messages routed from one
     * thread are stored in call order.
     *
     * @param message the message, with its {@code connectionModuleId} set, and its {@code outputName} (without one,
     *            as an IoT Hub module sends telemetry without {@code $.on}, its source is
     *            {@code /messages/modules/<module>}, which {@code FROM /messages/modules/<module>/*} takes and
     *            {@code FROM /messages/modules/<module>/outputs/*} does not, as in edgeHub)
     * @return completes when every copy is stored (at once if no route takes it: it is counted as no_route), or
     *         exceptionally with a {@link org.outpost.api.module.SendException} saying why it was not stored, for
     *         instance that an endpoint is full; then the module may retry
     */
    CompletionStage<Void> route(Message message);

    /**
     * Stores a message for a module input directly, without routes: how a cloud-to-device message addressed to a
     * module input reaches it. It waits in the input's queue (durably, with the default time to live) until the
     * module takes it.
     *
     * @return completes when stored, or exceptionally with a {@link org.outpost.api.module.SendException}
     * @throws IllegalArgumentException if the module or input name is not valid
     */
    CompletionStage<Void> deliver(String module, String input, Message message);

    /** @return every endpoint the running routes name, and {@code $upstream}, with what waits in its queue */
    List<EndpointStatus> endpoints();

    /** @return the running routes, sorted by name */
    List<RouteStatus> routes();

    /**
     * @return why the last route set given to the router (by its configuration or the routes file) was rejected, with
     *         when; empty if none was since the gateway started. A rejected set changes nothing.
     */
    java.util.Optional<String> lastRejection();

    /** @return messages no route took since the gateway started */
    long noRoute();

    /**
     * @return of {@link #noRoute()}, the twin change notifications (a module reported properties, and no route takes
     *         {@code /twinChangeNotifications}): normal unless such a route is wanted
     * @since 1.4
     */
    long noRouteTwinChanges();

    /**
     * Explains, for each running route, whether it would take a message.
     *
     * @param messageJson the message as the route tester reads it: {@code {"source": ..., "body": ... or
     *            "bodyBase64": ..., "contentType": ..., "contentEncoding": ..., "appProperties": {...},
     *            "systemProperties": {...}}}
     * @return one explanation per route
     * @throws IllegalArgumentException if the message JSON is malformed, saying what is wrong
     */
    List<RouteExplanation> explain(String messageJson);

    /**
     * Replaces the routes with those of an IoT Edge {@code $edgeHub} section (a whole manifest, the section, its
     * {@code properties.desired}, or {@code {"routes": ..., "storeAndForwardConfiguration": ...}}). They are checked
     * first: a set with any error is rejected whole and the running routes stay. Valid routes are stored as the
     * routing configuration and applied without a restart; queued messages are kept.
     *
     * @throws IllegalArgumentException saying what is wrong and where (JSON path, route, column)
     * @throws IllegalStateException if the cloud owns the routes ({@link #setCloudRoutes}), saying where to change
     *             them
     * @throws java.io.IOException if the configuration cannot be stored
     */
    void setRoutes(String edgeHubJson) throws java.io.IOException;

    /**
     * Replaces the routes with those the cloud sets (the {@code $edgeHub} twin's desired properties), as
     * {@link #setRoutes}. From then on the cloud owns the routes: a local change ({@link #setRoutes}, an edit of
     * {@code etc/edgehub.json}) is refused, saying so, until the gateway restarts without the cloud setting them again.
     *
     * @param version the twin's desired version, for {@link #routesOrigin()}
     * @throws IllegalArgumentException saying what is wrong and where
     * @throws java.io.IOException if the configuration cannot be stored
     * @since 1.4
     */
    void setCloudRoutes(String edgeHubJson, long version) throws java.io.IOException;

    /**
     * @return where the running routes came from, for people: {@code etc/edgehub.json}, {@code edge:routes-set}, a
     *         deployment, {@code the hub's $edgeHub twin (version n)} or the routing configuration
     * @since 1.4
     */
    String routesOrigin();

    /**
     * Checks routes in the {@code $edgeHub} shape without applying them, e.g. before a deployment changes anything.
     *
     * @throws IllegalArgumentException saying what is wrong and where (JSON path, route, column)
     * @throws IllegalStateException if the cloud owns the routes, so that {@link #setRoutes} would refuse them
     *             (saying where to change them)
     */
    void checkRoutes(String edgeHubJson);
}
