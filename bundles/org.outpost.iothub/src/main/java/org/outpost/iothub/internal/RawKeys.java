/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

import org.outpost.iothub.spi.Credentials;

/**
 * A key itself as the MQTT password (not a SAS token signed with it) is taken only where nobody can read it on the
 * way: over TLS, or from a loopback address (an in-process channel counts as loopback). Anywhere else the key, which
 * never expires, would cross the network in the clear; the client is refused before any check of the key, and told
 * to use the TLS port or a SAS token.
 */
final class RawKeys {

    private RawKeys() {
    }

    /**
     * @param credentials what the client gave
     * @param tls whether the connection is TLS
     * @param peer the client's address
     * @return why it is refused; empty if its password is no key, or the key came over TLS or loopback
     */
    static Optional<String> refusal(Credentials credentials, boolean tls, SocketAddress peer) {
        if (tls || credentials.password().isEmpty() || credentials.hasSasToken() || loopback(peer)) {
            return Optional.empty();
        }
        return Optional.of("a key as the password is taken only over TLS or from loopback, not in the clear from "
                + ((InetSocketAddress) peer).getAddress().getHostAddress() + ": connect to the TLS port, or give a"
                + " SAS token signed with the key");
    }

    private static boolean loopback(SocketAddress peer) {
        return !(peer instanceof InetSocketAddress inet) || inet.getAddress() == null
                || inet.getAddress().isLoopbackAddress();
    }
}
