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

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.downstream.api.HubLink;
import org.outpost.protocol.SasToken;
import org.outpost.protocol.TrustedCertificates;

/**
 * Where the gateway's twins connect ({@code etc/org.outpost.twin.cfg}: the hub, or the parent gateway), as a
 * {@link HubLink} for the relay of the children's twins: the same URL, host name and trusted certificates as the
 * twins', and tokens of the gateway's device signed with its key (which stays here). Present while the twins'
 * configuration is.
 */
@Component(service = HubLink.class, configurationPid = CloudTwins.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class CloudHubLink implements HubLink {

    private final String deviceId;
    private final String url;
    private final String hostName;
    private final String key;
    private final SSLContext sslContext;
    private final SSLSocketFactory socketFactory;

    @Activate
    public CloudHubLink(@Reference EdgeRuntime runtime, CloudTwins.Config config) throws IOException {
        this(runtime.deviceId(), config, Path.of(System.getProperty("karaf.etc", "etc")));
    }

    /**
     * @param etc where relative paths of the configuration are
     * @throws IllegalArgumentException if the URL is not allowed or there is no device key, saying what to do
     * @throws IOException if the trusted certificates cannot be read
     */
    CloudHubLink(String deviceId, CloudTwins.Config config, Path etc) throws IOException {
        CloudTwins.checkUrl(config);
        this.deviceId = deviceId;
        this.url = config.url();
        this.hostName = config.host_name();
        this.key = CloudTwins.deviceKey(config, etc);
        if (!url.toLowerCase(Locale.ROOT).startsWith("ssl://")) {
            sslContext = null;
            socketFactory = null;
        } else if (config.tls_ca().isEmpty()) {
            sslContext = null;
            socketFactory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        } else {
            try {
                sslContext = TrustedCertificates.sslContext(etc.resolve(config.tls_ca()));
            } catch (IOException e) {
                throw new IOException(CloudTwins.PID + ": cannot use tls.ca for the children's relay: "
                        + e.getMessage(), e);
            }
            socketFactory = sslContext.getSocketFactory();
        }
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String hubHostName() {
        return hostName;
    }

    @Override
    public Optional<SSLSocketFactory> socketFactory() {
        return Optional.ofNullable(socketFactory);
    }

    @Override
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    @Override
    public String gatewayToken(Duration validity) {
        return SasToken.create(hostName + "/devices/" + deviceId, key, Instant.now().plus(validity));
    }

    @Override
    public String toString() {
        // No key.
        return "CloudHubLink[" + deviceId + " at " + url + "]";
    }
}
