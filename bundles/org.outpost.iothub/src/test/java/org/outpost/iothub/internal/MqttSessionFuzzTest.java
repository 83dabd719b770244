/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

/**
 * Fuzzes what a client of the IoT Hub endpoint controls: the bytes on its connection, through the server's own
 * decoder and session (with the same fakes as the session's unit tests). Any bytes, before or after a valid CONNECT,
 * are handled or end the connection; nothing escapes the pipeline, overflows the stack or hangs.
 * <p>
 * An input whose first byte is odd is sent after a valid CONNECT (so that the fuzzer reaches a connected session's
 * packets: publishes, subscriptions, twin and method topics); the rest is the stream. The corpus is in
 * {@code src/test/resources/org/outpost/iothub/internal/MqttSessionFuzzTestInputs/}; the build fuzzes for the time
 * below.
 */
class MqttSessionFuzzTest {

    private static final byte[] CONNECT = encoded();

    @FuzzTest(maxDuration = "10s")
    void anyBytesOnAConnectionAreHandledOrEndIt(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Fakes fakes = new Fakes();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("decoder", new MqttDecoder(16 * 1024));
        ch.pipeline().addLast("encoder", MqttEncoder.INSTANCE);
        ch.pipeline().addLast(MqttSession.NAME, new MqttSession(fakes.services, Fakes.MAX_IDLE));
        try {
            if ((input[0] & 1) == 1) {
                ch.writeInbound(Unpooled.wrappedBuffer(CONNECT));
            }
            ch.writeInbound(Unpooled.wrappedBuffer(input, 1, input.length - 1));
            ch.runPendingTasks();
            ch.checkException();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] encoded() {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(Fakes.connect("d1", Fakes.PASSWORD, 4));
        ByteBuf out = encoder.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return bytes;
    }
}
