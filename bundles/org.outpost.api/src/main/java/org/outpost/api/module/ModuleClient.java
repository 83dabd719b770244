/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.api.message.Message;

/**
 * A module's connection to the gateway, the Outpost counterpart of IoT Edge's {@code ModuleClient}.
 * <p>
 * The gateway registers this service as a service factory: each bundle that declares itself a module with
 * {@link EdgeModule} gets its own instance, bound to its module id. A bundle without the header cannot get the service.
 *
 * <pre>{@code
 * @Reference
 * private ModuleClient client;
 * ...
 * client.send("temperatureOutput", Message.builder().json(reading).build());
 * }</pre>
 */
@ProviderType
public interface ModuleClient {

    /** @return the module id of the bundle that holds this client */
    String moduleId();

    /** @return the id of the device (gateway) the module runs on */
    String deviceId();

    /**
     * Sends a message to one of this module's outputs. The call returns only after the gateway has stored the message
     * durably (it survives a crash or power loss from then on); routes then carry it to module inputs or the cloud.
     *
     * @param output the output name (see {@link ModuleNames})
     * @param message the message; the gateway sets its {@code connectionModuleId}, {@code connectionDeviceId} and
     *            {@code outputName}, and a {@code messageId} and {@code creationTimeUtc} when absent
     * @throws SendException if the gateway did not store the message (broker down, storage full, rejected): the
     *             message was not accepted and the module may retry
     * @throws IllegalArgumentException if the output name is not valid
     */
    void send(String output, Message message) throws SendException;

    /**
     * Sends a message without waiting: the returned stage completes when the gateway has stored the message durably,
     * or exceptionally with a {@link SendException} when it did not (then the module may retry). Messages a module
     * sends this way are stored in the order of the calls, and many may be in flight at once, so this is how a module
     * sends thousands of messages a second: the broker writes them to its journal together.
     *
     * <pre>{@code
     * client.sendAsync("out", message).whenComplete((ok, error) -> {
     *     if (error != null) {
     *         log.warn("not stored: {}", error.getMessage());
     *     }
     * });
     * }</pre>
     *
     * @param output the output name (see {@link ModuleNames})
     * @param message the message, completed as for {@link #send}
     * @return completes when the message is stored
     * @throws IllegalArgumentException if the output name is not valid
     */
    CompletionStage<Void> sendAsync(String output, Message message);

    /**
     * Threads for the module's own work (loops, pollers, device readers). They are named {@code outpost-<module>-<n>}
     * and are daemons. A thread that dies from an uncaught exception marks the module failed, with the exception as the
     * reason ({@code edge:list}, {@code edge:status}), so that its restart policy restarts it, as for a failed
     * component; the mark clears when the module's bundle stops.
     *
     * <pre>{@code
     * ExecutorService reader = Executors.newSingleThreadExecutor(client.threadFactory());
     * }</pre>
     *
     * Tasks of an executor catch their own exceptions; the mark comes from threads that end with one, such as those
     * started directly with {@code client.threadFactory().newThread(loop).start()}.
     *
     * @return the module's thread factory
     */
    java.util.concurrent.ThreadFactory threadFactory();
}
