/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import org.outpost.downstream.api.HubLink;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TrustedCertificates;

/**
 * Where the gateway's twins connect ({@code etc/org.outpost.twin.cfg}: the hub, or the parent gateway), as a
 * {@link HubLink} for the relay of the children's twins: the same URL, host name and trusted certificates as the
 * twins', and tokens of the gateway's device signed with its key (which stays here). {@link CloudTwins} registers it
 * while it runs (by hand, so that no configuration property, the key among them, becomes a service property).
 */
final class CloudHubLink implements HubLink {

    /** The link as configured. */
    private record Settings(String url, String hostName, String key, SSLContext sslContext,
            SSLSocketFactory socketFactory) {
        @Override
        public String toString() {
            return url; // no key
        }
    }

    private final String deviceId;
    private final Path etc;
    private final Settings settings;

    /**
     * @param etc where relative paths of the configuration are
     * @throws IllegalArgumentException if the URL is not allowed or there is no device key, saying what to do
     * @throws IOException if the trusted certificates cannot be read
     */
    CloudHubLink(String deviceId, CloudTwins.Config config, Path etc) throws IOException {
        this.deviceId = deviceId;
        this.etc = etc;
        this.settings = settings(config);
    }

    private Settings settings(CloudTwins.Config config) throws IOException {
        CloudTwins.checkUrl(config);
        String url = config.url();
        String key = CloudTwins.deviceKey(config, etc);
        if (!url.toLowerCase(Locale.ROOT).startsWith("ssl://")) {
            return new Settings(url, config.host_name(), key, null, null);
        }
        if (config.tls_ca().isEmpty()) {
            return new Settings(url, config.host_name(), key, null, (SSLSocketFactory) SSLSocketFactory.getDefault());
        }
        try {
            SSLContext context = TrustedCertificates.sslContext(etc.resolve(config.tls_ca()));
            return new Settings(url, config.host_name(), key, context, context.getSocketFactory());
        } catch (IOException e) {
            throw new IOException(CloudTwins.PID + ": cannot use tls.ca for the children's relay: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String url() {
        return settings.url();
    }

    @Override
    public String hubHostName() {
        return settings.hostName();
    }

    @Override
    public Optional<SSLSocketFactory> socketFactory() {
        return Optional.ofNullable(settings.socketFactory());
    }

    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(settings.sslContext());
    }

    @Override
    public String gatewayToken(Duration validity) {
        return SasToken.create(settings.hostName() + "/devices/" + deviceId, settings.key(), Instant.now().plus(
                validity));
    }

    @Override
    public String toString() {
        // No key.
        return "CloudHubLink[" + deviceId + " at " + settings.url() + "]";
    }
}
