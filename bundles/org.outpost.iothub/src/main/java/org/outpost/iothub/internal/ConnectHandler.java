/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.ssl.SslHandler;
import org.outpost.iothub.spi.Authentication;
import org.outpost.iothub.spi.Credentials;
import org.outpost.iothub.spi.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a CONNECT: MQTT 3.1.1, a client id that names an identity, an address not blocked for failed
 * authentications, no key in the clear off loopback ({@link RawKeys}), and credentials the user's authenticator
 * accepts. A refusal is answered (CONNACK with its return code), logged with its reason (never the secret) and closes
 * the connection. An authenticator that cannot decide (it throws: its store does not answer) refuses with "server
 * unavailable", which the client may retry.
 */
final class ConnectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);

    private final Services services;

    ConnectHandler(Services services) {
        this.services = services;
    }

    /**
     * @return the identity let in; empty if it was refused (the refusal is sent and the connection closes)
     */
    Optional<Identity> connect(ChannelHandlerContext ctx, MqttConnectMessage msg) {
        String clientId = msg.payload().clientIdentifier();
        // Who is refused, for the log: the client id as given (it holds no secret) and the address.
        String remote = "'" + clientId + "' from " + ctx.channel().remoteAddress();
        if (msg.variableHeader().version() != 4) {
            return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "MQTT version "
                    + msg.variableHeader().version() + " (this endpoint speaks 3.1.1)", remote);
        }
        Optional<Identity> claimed = Identity.claimedBy(clientId);
        if (claimed.isEmpty()) {
            return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id '" + clientId
                    + "' is not <deviceId> or <deviceId>/<moduleId>", remote);
        }
        String host = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress()
                : String.valueOf(ctx.channel().remoteAddress());
        Duration wait = services.authLimiter().blocked(host);
        if (!wait.isZero()) {
            return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "too many failed"
                    + " authentications from " + host + "; it may try again in " + Math.max(1, wait.toSeconds())
                    + " s", remote);
        }
        byte[] password = msg.payload().passwordInBytes();
        Credentials credentials = new Credentials(services.hostName(), password == null ? null
                : new String(password, StandardCharsets.UTF_8), clientCertificate(ctx));
        Optional<String> keyInTheClear = RawKeys.refusal(credentials, ctx.pipeline().get(SslHandler.class) != null,
                ctx.channel().remoteAddress());
        if (keyInTheClear.isPresent()) {
            services.authLimiter().failed(host);
            return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, keyInTheClear.get(), remote);
        }
        Authentication result;
        try {
            result = services.authenticator().authenticate(claimed.get(), credentials);
        } catch (RuntimeException e) {
            // It could not decide (its store does not answer): not the client's fault, so not counted against its
            // address; it may try again. Every client gets this at once, so the log has one line per minute.
            services.unavailable().warn("Refusing connections with 'server unavailable' while the identity store"
                    + " does not answer: " + e.getMessage() + " (the latest: " + remote + ")");
            MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(
                    MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE).sessionPresent(false).build();
            ctx.writeAndFlush(ack).addListener(f -> ctx.close());
            return Optional.empty();
        }
        if (result instanceof Authentication.Accepted accepted) {
            if (!accepted.identity().id().equals(claimed.get().id())) {
                // The client id is who the connection is: it must be the identity let in, whatever its kind.
                services.authLimiter().failed(host);
                return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id '"
                        + clientId + "' is not the authenticated identity " + accepted.identity(), remote);
            }
            return Optional.of(accepted.identity());
        }
        services.authLimiter().failed(host);
        return refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
                ((Authentication.Refused) result).reason(), remote);
    }

    /** @return the certificate the client presented in the TLS handshake, or null (no TLS, or none presented) */
    private static X509Certificate clientCertificate(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    private static Optional<Identity> refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code, String why,
            String remote) {
        // The reason is logged here, never the password or token.
        LOG.warn("Refused a connection of {}: {}", remote, why);
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(ack).addListener(f -> ctx.close());
        return Optional.empty();
    }
}
