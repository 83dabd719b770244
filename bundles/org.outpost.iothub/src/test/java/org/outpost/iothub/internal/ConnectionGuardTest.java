/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {

    /** What passes the guard towards the session. */
    private final List<Object> events = new CopyOnWriteArrayList<>();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(ConnectionGuard.NAME, new ConnectionGuard(Duration.ofSeconds(10), Duration.ofSeconds(
                60)));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                events.add(msg);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                events.add(ctx.channel().isWritable() ? "writable" : "unwritable");
            }
        });
        return ch;
    }

    private static void setWritable(EmbeddedChannel ch, boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        ch.runPendingTasks();
    }

    private static void after(EmbeddedChannel ch, long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aConnectionThatSendsNoConnectWithinTheTimeoutIsClosed() {
        EmbeddedChannel ch = channel();

        after(ch, 9);
        assertThat(ch.isOpen()).isTrue();
        after(ch, 2);

        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aConnectEndsTheWaitAndGoesOnToTheSession() {
        EmbeddedChannel ch = channel();

        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));
        after(ch, 3600);

        assertThat(ch.isOpen()).isTrue();
        assertThat(events).hasSize(1);
    }

    @Test
    void aClientThatDoesNotReadIsNotReadFromUntilItReadsAgain() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));

        setWritable(ch, false);
        assertThat(ch.config().isAutoRead()).isFalse();
        setWritable(ch, true);

        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(events).endsWith("unwritable", "writable");
    }

    @Test
    void aClientThatDoesNotReadForLongerThanTheUnwritableTimeoutIsClosed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));

        setWritable(ch, false);
        after(ch, 59);
        assertThat(ch.isOpen()).isTrue();
        after(ch, 2);

        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aClientThatReadsAgainInTimeKeepsItsConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Fakes.connect("d1", Fakes.PASSWORD, 0));

        setWritable(ch, false);
        after(ch, 50);
        setWritable(ch, true);
        after(ch, 50);
        setWritable(ch, false);
        after(ch, 50);

        assertThat(ch.isOpen()).as("not writable for 50 s twice, never 60 s on end").isTrue();
    }
}
