/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How an {@link IotHubServer} listens.
 *
 * @param name what it is called in thread names ({@code <name>-accept}, {@code <name>}, {@code <name>-session})
 * @param host the address to listen on
 * @param port the plain MQTT port (0 picks a free one, -1 turns plain MQTT off)
 * @param hostName its host name, as clients name it in SAS token resources
 * @param tlsPort the MQTT over TLS port (0 picks a free one, -1 turns TLS off)
 * @param tlsKeystore the PKCS#12 key store with its key and certificate chain; TLS is off while it does not exist
 * @param tlsKeystorePassword the key store's (and key's) password
 * @param maxMessageBytes the largest MQTT packet taken
 * @param authMaxFailuresPerMinute failed authentications from one address within a minute after which it is refused
 *            without a check until the oldest leaves the minute
 * @param configurationFile where its user configures it, named in errors ({@code etc/org.outpost.hub.iothub.cfg})
 */
public record ServerSettings(String name, String host, int port, String hostName, int tlsPort, Path tlsKeystore,
        String tlsKeystorePassword, int maxMessageBytes, int authMaxFailuresPerMinute, String configurationFile) {

    public ServerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(tlsKeystore, "tlsKeystore");
        tlsKeystorePassword = tlsKeystorePassword == null ? "" : tlsKeystorePassword;
        maxMessageBytes = Math.max(1, maxMessageBytes);
        authMaxFailuresPerMinute = Math.max(1, authMaxFailuresPerMinute);
    }

    /** @return whether TLS is on (a TLS port); it listens only if the key store exists */
    public boolean tls() {
        return tlsPort >= 0;
    }

    /** Names no password. */
    @Override
    public String toString() {
        return "ServerSettings[" + name + " on " + host + ":" + port + (tls() ? ", TLS :" + tlsPort + " with "
                + tlsKeystore : "") + ", as " + hostName + "]";
    }
}
