/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.InputMessage;
import org.outpost.iothub.spi.InputSource;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;

/**
 * A module's input messages (what the gateway's routes send to its inputs), delivered on IoT Edge's
 * {@code devices/<d>/modules/<m>/inputs/<input>/...} topic once the module subscribes to
 * {@code devices/<d>/modules/<m>/inputs/#}. An identity that is not a module has none.
 */
final class InputHandler extends Deliveries<InputMessage> {

    /** At most this many input messages wait for their PUBACK at once. */
    static final int IN_FLIGHT = 128;

    private final InputSource source;

    InputHandler(Identity module, InputSource source, ChannelHandlerContext ctx, Outbox out) {
        super(module, ctx, out, IN_FLIGHT);
        this.source = source;
    }

    @Override
    String filter() {
        return identity.kind() == Identity.Kind.MODULE ? IotHubTopic.ModuleInput.filter(identity.deviceId(),
                identity.moduleId()) : null;
    }

    @Override
    List<InputMessage> waiting(long afterSeq, int max) {
        return source.waiting(identity, afterSeq, max);
    }

    @Override
    void delivered(InputMessage message) {
        source.delivered(identity, message);
    }

    @Override
    Subscription onMessage(Runnable arrived) {
        return source.onMessage(identity, arrived);
    }

    @Override
    long seq(InputMessage message) {
        return message.seq();
    }

    @Override
    String topic(InputMessage m) {
        return new IotHubTopic.ModuleInput(identity.deviceId(), identity.moduleId(), m.input(), m.properties())
                .format();
    }

    @Override
    byte[] body(InputMessage message) {
        return message.body();
    }

    @Override
    String what() {
        return "input messages";
    }
}
