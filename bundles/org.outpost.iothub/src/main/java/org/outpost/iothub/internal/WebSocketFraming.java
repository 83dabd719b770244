/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSockets, as IoT Hub serves it and the Azure IoT SDKs' {@code MQTT_WS} transport connects: an HTTP
 * upgrade on {@value #PATH} (a query string is allowed) with the subprotocol {@value #SUBPROTOCOL}; then binary frames
 * carry the MQTT byte stream (a packet may span frames, a frame may hold several), into the same MQTT decoder and
 * session as MQTT over TLS. A text frame is not MQTT: the connection is closed. Ping and close frames are answered by
 * the WebSocket handler.
 */
final class WebSocketFraming extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    /** The path of IoT Hub's MQTT over WebSockets. */
    static final String PATH = "/$iothub/websocket";
    /** The WebSocket subprotocol of MQTT. */
    static final String SUBPROTOCOL = "mqtt";

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFraming.class);
    /** The largest HTTP upgrade request read. */
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    /** Adds the HTTP codec, the WebSocket handshake and this framing to a pipeline, before the MQTT codec. */
    static void addTo(ChannelPipeline pipeline, int maxMessageBytes, long handshakeTimeoutMillis) {
        pipeline.addLast("http", new HttpServerCodec());
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH).subprotocols(SUBPROTOCOL).checkStartsWith(true).allowExtensions(false)
                .maxFramePayloadLength(maxMessageBytes + 1024).handshakeTimeoutMillis(handshakeTimeoutMillis)
                .build()));
        pipeline.addLast("websocket-framing", new WebSocketFraming());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(new BinaryWebSocketFrame(msg.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            out.add(frame.content().retain());
            return;
        }
        LOG.warn("Closing a WebSocket connection from {}: it sent a {} (MQTT over WebSockets uses binary frames)",
                ctx.channel().remoteAddress(), frame.getClass().getSimpleName());
        ctx.close();
    }
}
