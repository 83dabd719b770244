/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.api;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Cloud-to-device messages: stored durably at the hub per device, delivered on
 * {@code devices/<d>/messages/devicebound/<property bag>} while the device is connected and subscribed, and removed
 * only once it acknowledged them (QoS 1). A device that is offline gets them, in order, when it comes back; messages
 * not delivered within their time to live are dropped. At most {@code c2d.max.per.device} wait per device.
 */
@ProviderType
public interface CloudToDevice {

    /**
     * @param deviceId a registered device
     * @param body the message body
     * @param properties application properties (and {@code $.mid}, {@code $.cid}, {@code $.ct}, {@code $.ce})
     * @return the message id
     * @throws IllegalArgumentException if the device is not registered, the message is larger than 64 KB, or as many
     *             messages as a device may have (50 by default, as IoT Hub) wait for it already
     */
    String send(String deviceId, byte[] body, Map<String, String> properties);

    /** @return the messages waiting for the device */
    long pending(String deviceId);
}
