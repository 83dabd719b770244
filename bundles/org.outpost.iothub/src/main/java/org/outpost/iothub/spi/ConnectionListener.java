/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears of identities connecting and disconnecting (the hub counts them per device). An identity that connects again
 * while connected is not told twice: its earlier connection is closed and it stays connected.
 */
@ConsumerType
public interface ConnectionListener {

    /** Hears nothing. */
    ConnectionListener NONE = new ConnectionListener() {
        @Override
        public void connected(Identity identity) {
        }

        @Override
        public void disconnected(Identity identity) {
        }
    };

    /** The identity has a connection (it had none). */
    void connected(Identity identity);

    /**
     * The identity has a connection (it had none), from this address. By default {@link #connected(Identity)}.
     *
     * @param remote the client's address, or null if unknown
     */
    default void connected(Identity identity, java.net.SocketAddress remote) {
        connected(identity);
    }

    /** The identity's connection ended. */
    void disconnected(Identity identity);
}
