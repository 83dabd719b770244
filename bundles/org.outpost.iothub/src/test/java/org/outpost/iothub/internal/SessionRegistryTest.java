/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Identity;

class SessionRegistryTest {

    private final Fakes.Connections connections = new Fakes.Connections();
    private final SessionRegistry<Session> sessions = new SessionRegistry<>(connections);

    /** A session that remembers whether it was closed. */
    static final class Session implements SessionRegistry.Session {
        private final Identity identity;
        boolean closed;

        Session(Identity identity) {
            this.identity = identity;
        }

        @Override
        public Identity identity() {
            return identity;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void anIdentityIsConnectedOnceAndItsSecondConnectionClosesTheFirst() {
        Session first = new Session(Identity.device("d1"));
        Session second = new Session(Identity.device("d1"));

        sessions.connected(first);
        sessions.connected(second);
        sessions.disconnected(first);

        assertThat(first.closed).isTrue();
        assertThat(sessions.session(Identity.device("d1"))).containsSame(second);
        assertThat(connections.events).containsExactly("+d1");

        sessions.disconnected(second);
        assertThat(sessions.session(Identity.device("d1"))).isEmpty();
        assertThat(connections.events).containsExactly("+d1", "-d1");
    }

    @Test
    void sessionsAreFoundByTheIdentitysIdWhateverItsKind() {
        Session child = new Session(new Identity(Identity.Kind.CHILD_DEVICE, "leaf", null));

        sessions.connected(child);

        assertThat(sessions.session(Identity.device("leaf"))).containsSame(child);
    }

    @Test
    void closingByPredicateClosesADeviceAndItsModulesOnly() {
        Session device = new Session(Identity.device("d1"));
        Session module = new Session(Identity.module("d1", "m1"));
        Session other = new Session(Identity.device("d10"));
        sessions.connected(device);
        sessions.connected(module);
        sessions.connected(other);

        sessions.close(identity -> identity.deviceId().equals("d1"));

        assertThat(device.closed).isTrue();
        assertThat(module.closed).isTrue();
        assertThat(other.closed).isFalse();
    }
}
