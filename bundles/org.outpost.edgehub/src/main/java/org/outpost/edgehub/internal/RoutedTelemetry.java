/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.edgehub.internal;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.outpost.api.message.Message;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.module.SendException;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.TelemetrySink;
import org.outpost.iothub.spi.TelemetryWriter;
import org.outpost.protocol.PropertyBag;
import org.outpost.protocol.TelemetryTopic;
import org.outpost.routing.api.Routing;

/**
 * A module's telemetry enters the routes as edgeHub's does: from {@code /messages/modules/<m>/outputs/<o>} with the
 * output from {@code $.on}, or from {@code /messages/modules/<m>} without one. Application properties, content type
 * and encoding, message and correlation ids and creation time are kept; {@code connectionDeviceId} and
 * {@code connectionModuleId} are the connection's, whatever the client wrote, and a message id and creation time are
 * added when absent, as for every module's message. A message is acknowledged only when the router stored it;
 * the connection does not wait for that before it reads the next ({@link TelemetryWriter#writeAsync}).
 *
 * <p>
 * A child device's telemetry enters as a device's: {@code connectionDeviceId} the child's, no
 * {@code connectionModuleId}, from {@code /messages} (so {@code FROM /messages/* WHERE NOT
 * IS_DEFINED($connectionModuleId)} takes it). A child gateway's upstream drain sends its own and its descendants'
 * messages: each keeps the device (and module) its topic names, which the ACL allowed ({@link ChildAcl}). Every
 * message taken is counted for {@code edge:children} ({@link Counted}).
 */
final class RoutedTelemetry implements TelemetrySink {

    /** Hears of each message a connection sent (to count them per child). */
    @FunctionalInterface
    interface Counted {
        Counted NONE = (identity, bytes) -> {
        };

        void message(Identity identity, int bytes);
    }

    private final Routing routing;
    private final Clock clock;
    private final Counted counted;

    RoutedTelemetry(Routing routing, Clock clock) {
        this(routing, clock, Counted.NONE);
    }

    RoutedTelemetry(Routing routing, Clock clock, Counted counted) {
        this.routing = routing;
        this.clock = clock;
        this.counted = counted;
    }

    @Override
    public TelemetryWriter open(Identity identity) {
        switch (identity.kind()) {
            case MODULE, CHILD_DEVICE, CHILD_GATEWAY -> {
            }
            default -> throw new IllegalStateException(identity + " is neither a module nor a child; it does not"
                    + " send here");
        }
        return new TelemetryWriter() {
            @Override
            public void write(String topic, TelemetryTopic telemetry, byte[] payload) throws Exception {
                store(message(identity, telemetry, payload));
                counted.message(identity, payload.length);
            }

            /** The router stores one connection's messages in order; many in flight share a disk sync. */
            @Override
            public CompletionStage<Void> writeAsync(String topic, TelemetryTopic telemetry, byte[] payload) {
                Message m = message(identity, telemetry, payload);
                counted.message(identity, payload.length);
                return routing.route(m);
            }

            @Override
            public void close() {
                // Nothing held per connection: the router is shared.
            }
        };
    }

    /**
     * @return the message as the router takes it
     * @throws IllegalArgumentException if the output name or a system property is malformed (the message is dropped)
     */
    Message message(Identity sender, TelemetryTopic telemetry, byte[] payload) {
        // A child gateway's drain sends for itself and the devices (and modules) below it: the topic says which.
        String device = sender.kind() == Identity.Kind.CHILD_GATEWAY ? telemetry.deviceId() : sender.deviceId();
        String module = sender.kind() == Identity.Kind.CHILD_GATEWAY ? telemetry.moduleId() : sender.moduleId();
        String output = module == null ? null : telemetry.properties().get(PropertyBag.OUTPUT_NAME);
        if (output != null) {
            ModuleNames.require("output name ($.on)", output);
        }
        Message.Builder b = PropertyBag.apply(telemetry.properties(), Message.builder().body(payload))
                .connectionDeviceId(device).connectionModuleId(module).outputName(output);
        Message m = b.build();
        if (m.messageId() == null) {
            b.messageId(UUID.randomUUID().toString());
        }
        if (m.creationTimeUtc() == null) {
            b.creationTimeUtc(clock.instant());
        }
        return b.build();
    }

    /** Returns once every copy is stored; throws (the message is not acknowledged) if it was not. */
    private void store(Message message) throws SendException, InterruptedException {
        try {
            routing.route(message).toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SendException s ? s : new SendException("the message was not stored: " + cause,
                    cause);
        }
    }
}
