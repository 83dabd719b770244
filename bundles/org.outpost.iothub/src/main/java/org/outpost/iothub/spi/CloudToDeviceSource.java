/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where an identity's cloud-to-device messages wait until it acknowledges them. While it is connected and subscribed
 * to {@code devices/<d>/messages/devicebound/#}, the server asks for the next ones (a few in flight at a time), sends
 * them in order at QoS 1 and reports each PUBACK; what is unacknowledged when the connection ends is asked for again
 * on the next. Called on session threads, which it may block. {@link #NONE} has no messages.
 */
@ConsumerType
public interface CloudToDeviceSource {

    /** No messages, ever. */
    CloudToDeviceSource NONE = new CloudToDeviceSource() {
        @Override
        public List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max) {
            return List.of();
        }

        @Override
        public void delivered(Identity identity, CloudToDeviceMessage message) {
        }

        @Override
        public Subscription onMessage(Identity identity, Runnable arrived) {
            return () -> {
            };
        }
    };

    /**
     * @param identity a connected identity
     * @param afterSeq the last message already sent on this connection (0 for none)
     * @param max at most this many
     * @return its next messages after {@code afterSeq}, oldest first
     */
    List<CloudToDeviceMessage> waiting(Identity identity, long afterSeq, int max);

    /** The identity acknowledged the message: it is not sent again. */
    void delivered(Identity identity, CloudToDeviceMessage message);

    /**
     * @param identity a connected identity
     * @param arrived run when a new message for it is stored (on any thread)
     * @return stops it (when the connection ends)
     */
    Subscription onMessage(Identity identity, Runnable arrived);
}
