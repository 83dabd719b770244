/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides who may connect: the identity store of the server's user (the hub's device registry; the gateway's
 * modules and leaf devices). The server has already checked the MQTT version, read the claimed identity from the
 * client id and refused addresses with too many recent failures; it counts a refusal as a failure of the address.
 * Called on a session thread, which it may block (a database) but should not for long: other connections share the
 * thread. If it cannot decide (its store does not answer), it throws: the client is refused with "server unavailable"
 * (CONNACK return code 3), may try again, and its address is not counted as failing.
 */
@ConsumerType
public interface IdentityAuthenticator {

    /**
     * @param claimed the identity the client id names ({@link Identity.Kind#DEVICE} or {@link Identity.Kind#MODULE})
     * @param credentials what the client proved itself with: a SAS token, a key, or a TLS client certificate
     * @return the identity let in, or why not
     */
    Authentication authenticate(Identity claimed, Credentials credentials);
}
