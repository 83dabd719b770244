/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.upstream.internal;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.Semaphore;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** One publish of the drain: a message, or a batch of them, which leave the queue on the cloud's PUBACK. */
final class CloudPublish {

    private CloudPublish() {
    }

    /**
     * @param messages the drain's messages the payload carries
     * @param places their places among those in flight, given back when the cloud answers
     * @param acknowledged where they go when the cloud acknowledged the publish
     * @param restart called when the publish failed: the drain gives every unacknowledged message back to the queue
     */
    static <F> void send(QueueDrain.Cloud cloud, String topic, byte[] payload, List<F> messages, Semaphore places,
            Queue<? super F> acknowledged, Runnable restart) {
        int n = messages.size();
        QueueDrain.Publisher c = cloud.publisher();
        MqttMessage mqtt = new MqttMessage(payload);
        mqtt.setQos(cloud.settings().qos());
        try {
            if (c == null) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            c.publish(topic, mqtt, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acknowledged.addAll(messages);
                    places.release(n);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    cloud.failed("publish failed: " + UpstreamLink.describe(error));
                    restart.run();
                    places.release(n);
                }
            });
        } catch (MqttException e) {
            cloud.failed("publish failed: " + UpstreamLink.describe(e));
            restart.run();
            places.release(n);
        }
    }
}
