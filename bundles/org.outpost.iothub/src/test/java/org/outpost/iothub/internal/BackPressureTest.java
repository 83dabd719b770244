/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import org.junit.jupiter.api.Test;
import org.outpost.protocol.IotHubTopic;

/** A session's deliveries stop while its client does not read (its channel is not writable) and go on after. */
class BackPressureTest {

    private final Fakes fakes = new Fakes();

    private static void setWritable(EmbeddedChannel ch, boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        ch.runPendingTasks();
    }

    @Test
    void cloudToDeviceMessagesWaitWhileTheClientDoesNotReadAndGoOnWhenItDoes() {
        for (int i = 1; i <= 40; i++) {
            fakes.cloudToDevice.add(i, "m" + i);
        }
        EmbeddedChannel ch = fakes.connected("d1");
        setWritable(ch, false);

        ch.writeInbound(Fakes.subscribe(2, IotHubTopic.CloudToDevice.filter("d1")));
        assertThat(Fakes.sent(ch)).extracting(m -> m.fixedHeader().messageType()).as("only the SUBACK")
                .containsExactly(MqttMessageType.SUBACK);
        fakes.cloudToDevice.add(41, "new");
        assertThat(Fakes.publishedTopics(ch)).as("nor a new message").isEmpty();
        setWritable(ch, true);

        assertThat(Fakes.publishedTopics(ch)).hasSize(CloudToDeviceHandler.IN_FLIGHT).first().asString()
                .contains("m1");
    }

    @Test
    void inputMessagesWaitWhileTheModuleDoesNotReadAndGoOnInOrderWhenItDoes() {
        for (int i = 1; i <= 5; i++) {
            fakes.inputs.add(i, "in1", "m" + i);
        }
        EmbeddedChannel ch = fakes.connected("d1/m1");
        setWritable(ch, false);

        ch.writeInbound(Fakes.subscribe(2, IotHubTopic.ModuleInput.filter("d1", "m1")));
        fakes.inputs.add(6, "in1", "m6");
        assertThat(Fakes.publishedTopics(ch)).isEmpty();
        setWritable(ch, true);

        assertThat(Fakes.publishedTopics(ch)).containsExactly("devices/d1/modules/m1/inputs/in1/%24.mid=m1",
                "devices/d1/modules/m1/inputs/in1/%24.mid=m2", "devices/d1/modules/m1/inputs/in1/%24.mid=m3",
                "devices/d1/modules/m1/inputs/in1/%24.mid=m4", "devices/d1/modules/m1/inputs/in1/%24.mid=m5",
                "devices/d1/modules/m1/inputs/in1/%24.mid=m6");
        assertThat(fakes.inputs.delivered).as("nothing acknowledged yet").isEmpty();
    }

    @Test
    void aChannelThatFillsUpInTheMiddleOfABatchGetsNoMoreOfItAndTheRestFollowsInOrder() {
        for (int i = 1; i <= 10; i++) {
            fakes.inputs.add(i, "in1", "m" + i);
        }
        EmbeddedChannel ch = fakes.connected("d1/m1");
        // As a client that stops reading: the buffer is full after the third message.
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            private int published;

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof MqttPublishMessage && ++published == 3) {
                    ctx.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, false);
                }
                ctx.write(msg, promise);
            }
        });

        ch.writeInbound(Fakes.subscribe(2, IotHubTopic.ModuleInput.filter("d1", "m1")));
        assertThat(Fakes.publishedTopics(ch)).hasSize(3);
        setWritable(ch, true);

        assertThat(Fakes.publishedTopics(ch)).hasSize(7).first().asString().endsWith("m4");
    }
}
