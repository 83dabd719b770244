/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import org.outpost.iothub.spi.CloudToDeviceMessage;
import org.outpost.iothub.spi.CloudToDeviceSource;
import org.outpost.iothub.spi.Identity;
import org.outpost.iothub.spi.Subscription;
import org.outpost.protocol.IotHubTopic;

/**
 * A device's cloud-to-device messages, delivered on IoT Hub's {@code devices/<d>/messages/devicebound/...} topic once
 * the device subscribes to {@code devices/<d>/messages/devicebound/#}.
 */
final class CloudToDeviceHandler extends Deliveries<CloudToDeviceMessage> {

    /** At most this many cloud-to-device messages wait for their PUBACK at once. */
    static final int IN_FLIGHT = 16;

    private final CloudToDeviceSource source;

    CloudToDeviceHandler(Identity identity, CloudToDeviceSource source, ChannelHandlerContext ctx, Outbox out) {
        super(identity, ctx, out, IN_FLIGHT);
        this.source = source;
    }

    @Override
    String filter() {
        return IotHubTopic.CloudToDevice.filter(identity.deviceId());
    }

    @Override
    List<CloudToDeviceMessage> waiting(long afterSeq, int max) {
        return source.waiting(identity, afterSeq, max);
    }

    @Override
    void delivered(CloudToDeviceMessage message) {
        source.delivered(identity, message);
    }

    @Override
    Subscription onMessage(Runnable arrived) {
        return source.onMessage(identity, arrived);
    }

    @Override
    long seq(CloudToDeviceMessage message) {
        return message.seq();
    }

    @Override
    String topic(CloudToDeviceMessage m) {
        return new IotHubTopic.CloudToDevice(identity.deviceId(), m.properties()).format();
    }

    @Override
    byte[] body(CloudToDeviceMessage message) {
        return message.body();
    }

    @Override
    String what() {
        return "cloud-to-device messages";
    }
}
