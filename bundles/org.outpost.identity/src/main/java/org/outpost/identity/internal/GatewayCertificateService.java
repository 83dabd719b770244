/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.commons.DaemonThreads;
import org.outpost.identity.api.GatewayCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's certificate authority as a service: the CA and server certificate under
 * {@code ${karaf.data}/outpost/ca}, checked at activation (so the files are there before any server asks), daily,
 * and when the configuration ({@value IdentitySettings#PID}, shared with the module identities) changes. A CA folder
 * that cannot be used fails the activation with the file and what to do.
 */
@Component(service = GatewayCertificates.class, configurationPid = IdentitySettings.PID)
public final class GatewayCertificateService implements GatewayCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCertificateService.class);

    private final GatewayCa ca;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(
            "outpost-gateway-ca"));
    private final Path dataDir;
    private volatile IdentitySettings settings;

    @Activate
    public GatewayCertificateService(BundleContext context, @Reference EdgeRuntime runtime,
            IdentitySettings.Config config, Map<String, Object> properties) {
        this.dataDir = Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"));
        this.ca = new GatewayCa(new CaFiles(dataDir.resolve("outpost").resolve("ca")), runtime::deviceId,
                Clock.systemUTC(), new SecureRandom());
        this.settings = IdentitySettings.fromOrKeep(config, properties, dataDir, null, "the gateway's certificates");
        try {
            ca.check(settings);
        } catch (IOException e) {
            checks.shutdownNow();
            throw new UncheckedIOException("The gateway's certificate authority cannot start: " + e.getMessage(), e);
        }
        checks.scheduleWithFixedDelay(this::checkLogged, 1, 1, TimeUnit.DAYS);
    }

    @Modified
    void modified(IdentitySettings.Config config, Map<String, Object> properties) {
        IdentitySettings next = IdentitySettings.fromOrKeep(config, properties, dataDir, settings,
                "the gateway's certificates");
        if (!next.equals(settings)) {
            settings = next;
            checks.execute(this::checkLogged);
        }
    }

    @Deactivate
    void deactivate() {
        checks.shutdownNow();
    }

    private void checkLogged() {
        try {
            ca.check(settings);
        } catch (IOException | RuntimeException e) {
            LOG.error("Gateway certificates not checked; the current ones stay in use: {}", e.getMessage());
        }
    }

    @Override
    public String caCertificatePem() {
        return Pem.certificates(ca.state().ca().certificate());
    }

    @Override
    public Path caCertificateFile() {
        return ca.files().caCertFile();
    }

    @Override
    public Path serverKeyStore() {
        return ca.files().serverKeyStore();
    }

    @Override
    public char[] serverKeyStorePassword() {
        return ca.state().password().clone();
    }

    @Override
    public List<String> serverHostNames() {
        return ca.state().hostNames();
    }

    @Override
    public Instant serverNotAfter() {
        return ca.state().server().certificate().getNotAfter().toInstant();
    }

    @Override
    public Instant caNotAfter() {
        return ca.state().ca().certificate().getNotAfter().toInstant();
    }

    @Override
    public AutoCloseable onRenewal(Runnable listener) {
        return ca.onRenewal(listener);
    }
}
